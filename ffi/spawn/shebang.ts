/**
 * `#!` handling for Termux. There, `libtermux-exec` (an LD_PRELOAD) rewrites `#!/usr/bin/env`,
 * `#!/bin/sh` and the like to `$PREFIX/bin/…` inside libc's exec calls; our raw `execve`
 * (and bionic's posix_spawn) bypass it, so the rewrite happens here, in the parent, before the
 * spawn. Parsing follows the kernel's binfmt_script: the first 256 bytes, one interpreter, at
 * most one argument (the rest of the line).
 * @module
 */
import { cString } from "../cstrings.ts";
import { libc } from "../libc.ts";

/** The kernel reads this much of a file to find `#!` (BINPRM_BUF_SIZE). */
const SHEBANG_BYTES = 256;

/** FHS directories whose programs Termux keeps in `$PREFIX/bin`. */
const FHS_BIN_DIRS = ["/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/"];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What to execve instead: the interpreter, and its argv. */
export interface ExecTarget {
  /** The interpreter's path. */
  readonly path: Uint8Array;
  /** `interpreter [arg] script args…`. */
  readonly argv: readonly Uint8Array[];
}

/** A parsed `#!` line. */
export interface Shebang {
  /** The interpreter path as written. */
  readonly interpreter: Uint8Array;
  /** The rest of the line, one argument (as the kernel passes it), or null. */
  readonly arg: Uint8Array | null;
}

/** The `#!` line at the start of `head`, or null when `head` does not start with one. */
export function parseShebang(head: Uint8Array): Shebang | null {
  if (head[0] !== 0x23 || head[1] !== 0x21) return null; // "#!"
  const blank = (b: number) => b === 0x20 || b === 0x09;
  let end = head.indexOf(0x0a, 2);
  if (end < 0) end = head.length;
  let i = 2;
  while (i < end && blank(head[i])) i++;
  const start = i;
  while (i < end && !blank(head[i])) i++;
  if (i === start) return null; // "#!" and nothing: the kernel says ENOEXEC
  const interpreter = head.slice(start, i);
  while (i < end && blank(head[i])) i++;
  let argEnd = end;
  while (argEnd > i && (blank(head[argEnd - 1]) || head[argEnd - 1] === 0x0d)) argEnd--;
  return { interpreter, arg: argEnd > i ? head.slice(i, argEnd) : null };
}

/**
 * Where Termux keeps the interpreter `#!` names: `/usr/bin/env` → `$PREFIX/bin/env`. Null for an
 * interpreter outside the FHS bin directories (already a `$PREFIX` or `/system` path).
 */
export function termuxInterpreter(interpreter: string, prefix: string): string | null {
  const dir = FHS_BIN_DIRS.find((d) => interpreter.startsWith(d));
  if (!dir || interpreter.startsWith(`${prefix}/`)) return null;
  const name = interpreter.slice(dir.length);
  return name && !name.includes("/") ? `${prefix}/bin/${name}` : null;
}

/**
 * The exec to run instead of `path` when it is a script whose interpreter Termux keeps under
 * `prefix`, else null (an ELF binary, an unreadable file, an interpreter that needs no rewrite,
 * or one `$PREFIX` lacks too: the exec then fails exactly as it would have).
 */
export function termuxScriptExec(
  path: Uint8Array,
  argv: readonly Uint8Array[],
  prefix: string,
): ExecTarget | null {
  const head = readHead(path);
  const shebang = head && parseShebang(head);
  if (!shebang) return null;
  const mapped = termuxInterpreter(decoder.decode(shebang.interpreter), prefix);
  if (!mapped) return null;
  const c = libc();
  const interpreter = encoder.encode(mapped);
  if (c.symbols.access(cString(interpreter), c.abi.kernel.common.access.X_OK) !== 0) return null;
  return {
    path: interpreter,
    argv: [interpreter, ...(shebang.arg ? [shebang.arg] : []), path, ...argv.slice(1)],
  };
}

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
