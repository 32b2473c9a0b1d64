/**
 * What termux-exec would do to an exec, done in the parent before the spawn: coreshift's raw
 * `execve` and bionic's `posix_spawn` bypass termux-exec (an LD_PRELOAD that hooks libc's exec
 * family), so without this a Termux program path like `/usr/bin/env` or `#!/bin/sh` fails or
 * runs Android's own tool, and on Android 10+ an app with a high targetSdk cannot exec its own
 * files at all. In the order termux-exec applies them:
 *
 * 1. the exec path `/bin/X` or `/usr/bin/X` becomes `$PREFIX/bin/X` when that is executable;
 * 2. a script's `#!` interpreter is mapped the same way and exec'd with the script
 *    (`interpreter [arg] script args…`, as the kernel's binfmt_script would);
 * 3. where the system linker exec is on, a program (or interpreter) under the app's data
 *    directory runs as `linker64 path args…`: argv is `[argv0 as given, path, args…]`, and the
 *    linker loads `path` (Android forbids an app's own files only as exec targets, not for the
 *    linker to map).
 * @module
 */
import { cString } from "../os/cstrings.ts";
import { libc } from "../os/libc.ts";
import { parseShebang } from "./shebang.ts";

/** The FHS directories termux-exec maps into `$PREFIX/bin`. */
const FHS_BIN_DIRS = ["/bin/", "/usr/bin/"];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Termux's exec rules for one spawn. */
export interface TermuxExecRules {
  /** `$PREFIX`, without a trailing slash. */
  readonly prefix: string;
  /** The linker to exec app-data programs through, or null when the system linker exec is off. */
  readonly linker: string | null;
  /** The app's data directory: programs under it go through `linker`. */
  readonly appDataDir: string;
}

/** What to execve instead. */
export interface ExecTarget {
  /** The file to exec. */
  readonly path: Uint8Array;
  /** Its argv. */
  readonly argv: readonly Uint8Array[];
}

/**
 * The app data directory of a Termux prefix: `/data/data/com.termux` for
 * `/data/data/com.termux/files/usr`, else the prefix's parent.
 */
export function appDataDirOf(prefix: string): string {
  if (prefix.endsWith("/files/usr")) return prefix.slice(0, -"/files/usr".length);
  return prefix.slice(0, prefix.lastIndexOf("/")) || "/";
}

/**
 * Where Termux keeps an FHS program: `/usr/bin/env` → `$PREFIX/bin/env`. Null for a path outside
 * `/bin` and `/usr/bin` (already a `$PREFIX` or `/system` path, or a subdirectory).
 */
export function termuxInterpreter(path: string, prefix: string): string | null {
  const dir = FHS_BIN_DIRS.find((d) => path.startsWith(d));
  if (!dir) return null;
  const name = path.slice(dir.length);
  return name && !name.includes("/") ? `${prefix}/bin/${name}` : null;
}

/**
 * Step 1 for a program given as a path: `$PREFIX/bin/X` for `/bin/X` or `/usr/bin/X` when that
 * file is executable, else the program unchanged. Runs before the program is resolved, so that a
 * path Android lacks is not refused as missing.
 */
export function termuxProgramPath(program: Uint8Array, prefix: string): Uint8Array {
  const mapped = termuxInterpreter(decoder.decode(program), prefix);
  return mapped && executable(encoder.encode(mapped)) ? encoder.encode(mapped) : program;
}

/**
 * Steps 2 and 3 for the resolved `path` and its `argv`: the exec to run instead, or null for an
 * ELF program outside the app data (an interpreter `$PREFIX` lacks too is exec'd as written, so
 * the exec fails exactly as it would have).
 */
export function termuxExecTarget(
  path: Uint8Array,
  argv: readonly Uint8Array[],
  rules: TermuxExecRules,
): ExecTarget | null {
  let target: ExecTarget = { path, argv };
  const shebang = parseShebang(readHead(path) ?? new Uint8Array());
  if (shebang) {
    // As termux-exec does, the interpreter is exec'd with the script: the script file itself is
    // never an exec target (Android 10+ forbids that under the app data too).
    const mapped = termuxInterpreter(decoder.decode(shebang.interpreter), rules.prefix);
    const interpreter = mapped && executable(encoder.encode(mapped))
      ? encoder.encode(mapped)
      : shebang.interpreter;
    target = {
      path: interpreter,
      argv: [interpreter, ...(shebang.arg ? [shebang.arg] : []), path, ...argv.slice(1)],
    };
  }
  if (rules.linker && underDir(decoder.decode(target.path), rules.appDataDir)) {
    const linker = encoder.encode(rules.linker);
    return { path: linker, argv: [argv[0], target.path, ...target.argv.slice(1)] };
  }
  return target.path === path ? null : target;
}

function underDir(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

function executable(path: Uint8Array): boolean {
  const c = libc();
  return c.symbols.access(cString(path), c.abi.kernel.common.access.X_OK) === 0;
}

/** The kernel reads this much of a file to find `#!` (BINPRM_BUF_SIZE). */
const SHEBANG_BYTES = 256;

function readHead(path: Uint8Array): Uint8Array | null {
  const c = libc();
  const { O_RDONLY, O_CLOEXEC } = c.abi.kernel.open;
  const fd = c.symbols.open(cString(path), O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    const head = new Uint8Array(SHEBANG_BYTES);
    const n = Number(c.symbols.read(fd, head, BigInt(head.length)));
    return n > 0 ? head.subarray(0, n) : null;
  } finally {
    c.symbols.close(fd);
  }
}
