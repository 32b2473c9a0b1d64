/**
 * `SpawnOptions` → `SpawnPlan`: validated, program resolved, every string encoded once, and the
 * backend's support for each option checked, all before any fd or child exists.
 * @module
 */
import {
  cString,
  type CStringArray,
  cStringArray,
  cStringAt,
  readEnviron,
} from "../os/cstrings.ts";
import { CoreError, invalidArgument, sysError } from "../os/errors.ts";
import { directoryErrno } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import type { PosixSpawnCaps } from "../platform/capabilities.ts";
import type { Backend } from "../options/options.ts";
import { DEFAULT_PATH, resolveProgram } from "./resolve.ts";
import {
  appDataDirOf,
  type TermuxExecRules,
  termuxExecTarget,
  termuxProgramPath,
} from "./termux_exec.ts";
import type { ValidOptions } from "../options/validate.ts";
import {
  SYSTEM_LINKER_64,
  systemLinkerExecOn,
  termuxDirs,
  termuxSearchPath,
} from "../platform/termux.ts";
import { readProcText } from "../os/proc_files.ts";
import type { ValidConfine } from "../confine/confine_options.ts";
import { createRuleset, landlockAbi } from "../confine/landlock.ts";
import { buildSeccompFilter, type SeccompRules } from "../confine/seccomp_filter.ts";
import { hasElfInterpreter } from "./elf_interpreter.ts";
import { hostPlatform, type Platform } from "../platform/platform.ts";
import { type GatedSyscall, syscallAllowed } from "../platform/syscall_gate.ts";

/** Everything a backend needs, ready to hand to libc. */
export interface SpawnPlan extends ValidOptions {
  /** The backend that will run it (never null here). */
  readonly backend: Backend;
  /** Resolved program path as a C string. */
  readonly path: Uint8Array<ArrayBuffer>;
  /** `argv0, ...args` as `char *[]`. */
  readonly argv: CStringArray;
  /** The child's `char *envp[]`, or null to pass this process's `environ` unchanged. */
  readonly envp: CStringArray | null;
  /** The seccomp filter's instructions (`confine.seccomp`), or null. */
  readonly seccompFilter: Uint8Array | null;
  /** Parts of `confine` this kernel cannot apply, skipped under `bestEffort`. */
  readonly notApplied: readonly string[];
  /** With `uid`: a root parent's supplementary groups are dropped first (`setgroups(0)`). */
  readonly dropGroups: boolean;
}

/**
 * What a backend needs to start a child: the program, its argv and environment, where it runs,
 * its stdio, group, fds and limits. Backends see nothing of how the child is supervised.
 */
export type StartPlan = Pick<
  SpawnPlan,
  | "backend"
  | "path"
  | "argv"
  | "envp"
  | "cwd"
  | "stdin"
  | "stdout"
  | "stderr"
  | "pgroup"
  | "fdPolicy"
  | "rlimits"
  | "extraFds"
  | "dieWithParent"
  | "confine"
  | "seccompFilter"
  | "uid"
  | "gid"
  | "dropGroups"
  | "pty"
>;

/**
 * What a driver needs to supervise a started child: the stop rules' inputs (timeout, grace,
 * cancel, early exit, abort), the output cap, what to feed and whether it leads a group.
 */
export type SupervisePlan = Pick<
  SpawnPlan,
  | "timeoutMs"
  | "killGraceMs"
  | "killSignal"
  | "cancel"
  | "overflow"
  | "earlyExit"
  | "afterEarlyExit"
  | "maxOutput"
  | "signal"
  | "stdin"
  | "stdout"
  | "stderr"
  | "pgroup"
  | "notApplied"
  | "pty"
>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Prepares validated options for `backend` on a platform whose posix_spawn has `caps`.
 * Throws `CoreError` and creates nothing when the spawn cannot go ahead.
 *
 * The posix_spawn backend checks cwd and an explicit program path in the parent, because on
 * bionic a failed chdir or exec in the child only shows as exit 127. The helper backends report
 * the child's own errno and step, so they leave those checks to the child.
 */
export function planSpawn(valid: ValidOptions, backend: Backend, caps: PosixSpawnCaps): SpawnPlan {
  const viaPosixSpawn = backend === "posixSpawn";
  if (viaPosixSpawn) {
    assertPosixSpawnSupports(valid, caps);
    if (valid.cwd) assertDirectory(valid.cwd);
  }
  const termux = termuxRules(valid);
  const searchPath = () => {
    const path = childPath(valid);
    if (!termux) return path ?? DEFAULT_PATH;
    return encoder.encode(termuxSearchPath(path && decoder.decode(path), termux.prefix));
  };
  const program = termux ? termuxProgramPath(valid.program, termux.prefix) : valid.program;
  const path = resolveProgram(program, valid.cwd, searchPath, viaPosixSpawn);
  const argv = [valid.argv0].concat(valid.args);
  const exec = termux ? termuxExecTarget(path, argv, termux) : null;
  const dropGroups = viaPosixSpawn ? false : planIdSteps(valid, hostPlatform());
  const { confine, notApplied } = applicableConfine(valid.confine);
  if (confine?.seccomp) assertLoaderCanRun(confine.seccomp, exec?.path ?? path);
  return {
    ...valid,
    confine,
    notApplied,
    seccompFilter: confine?.seccomp
      ? buildSeccompFilter(confine.seccomp, hostPlatform().arch)
      : null,
    backend,
    dropGroups,
    path: cString(exec?.path ?? path),
    argv: cStringArray(exec?.argv ?? argv),
    envp: buildEnv(valid),
  };
}

/**
 * The id steps the child takes: returns whether it drops supplementary groups (with a `uid`,
 * when this process is root, as Rust's std does). Android's app filter kills on `setresgid`
 * and `setgroups` from API 28 (SIGSYS, no errno): needing one there is a typed refusal before
 * any child exists.
 */
export function planIdSteps(
  valid: Pick<ValidOptions, "uid" | "gid">,
  platform: Platform,
): boolean {
  const dropGroups = valid.uid !== null && libc().symbols.geteuid() === 0;
  const needs: GatedSyscall[] = [];
  if (valid.gid !== null) needs.push("setresgid");
  if (dropGroups) needs.push("setgroups");
  const refused = needs.find((name) => !syscallAllowed(name, platform));
  if (refused) {
    throw new CoreError(
      "UnsupportedPlatform",
      "validate ids",
      `${refused} is not allowed here (Android's app seccomp filter kills on it from API 28); ` +
        (refused === "setresgid" ? "drop gid" : "run coreshift as another user than root"),
    );
  }
  return dropGroups;
}

/**
 * Calls the dynamic loader of every libc needs before `main`: an allow list without them lets a
 * dynamically linked program die of SIGSEGV (or SIGSYS) with no word of why.
 */
const LOADER_SYSCALLS = ["mmap", "mprotect", "openat", "read", "close"];

/** Refuses an allow list under which `path`'s dynamic loader cannot run. */
function assertLoaderCanRun(rules: SeccompRules, path: Uint8Array): void {
  if (rules.mode !== "allow") return;
  const allowed = new Set(rules.syscalls);
  const missing = LOADER_SYSCALLS.filter((name) => !allowed.has(name));
  if (missing.length === 0 || !hasElfInterpreter(cString(path))) return;
  throw invalidArgument(
    "validate confine.seccomp",
    `${
      JSON.stringify(decoder.decode(path))
    } is dynamically linked, and its loader runs under the ` +
      `filter before main: the allow list lacks ${missing.join(", ")}`,
    "add them to confine.seccomp.allow, or run a statically linked program",
  );
}

/**
 * What of `confine` this kernel can apply: Landlock needs a kernel that has it; without it,
 * `bestEffort` drops it (and says so), else it is an `UnsupportedPlatform` error before any
 * child exists.
 */
function applicableConfine(
  confine: ValidConfine | null,
): { confine: ValidConfine | null; notApplied: readonly string[] } {
  if (!confine?.landlock || landlockAbi(hostPlatform()) !== null) {
    return { confine, notApplied: [] };
  }
  if (!confine.bestEffort) createRuleset(confine.landlock, hostPlatform()); // throws the reason
  return { confine: { ...confine, landlock: null }, notApplied: ["landlock"] };
}

/** Termux's exec rules for this spawn, or null outside Termux (or with `termuxPrefix: null`). */
function termuxRules(valid: ValidOptions): TermuxExecRules | null {
  const prefix = valid.termuxPrefix === "auto" ? hostTermuxPrefix() : valid.termuxPrefix;
  if (!prefix) return null;
  const linker = valid.systemLinker === "auto" ? hostSystemLinker() : valid.systemLinker;
  return { prefix, linker, appDataDir: appDataDirOf(prefix) };
}

let termuxPrefixCache: string | null | undefined;

/** Termux's prefix when this process runs inside Termux on Android, read once. */
function hostTermuxPrefix(): string | null {
  if (termuxPrefixCache !== undefined) return termuxPrefixCache;
  return termuxPrefixCache = hostPlatform().os === "android"
    ? termuxDirs({ PREFIX: env("PREFIX"), TERMUX_VERSION: env("TERMUX_VERSION") })?.prefix ?? null
    : null;
}

let systemLinkerCache: string | null | undefined;

/** The system linker when termux-exec's rules say this process needs it, read once. */
export function hostSystemLinker(): string | null {
  if (systemLinkerCache !== undefined) return systemLinkerCache;
  const on = systemLinkerExecOn({
    androidApi: hostPlatform().androidApi,
    mode: env("TERMUX_EXEC__SYSTEM_LINKER_EXEC__MODE"),
    euid: libc().symbols.geteuid(),
    seContext: env("TERMUX__SE_PROCESS_CONTEXT") ?? seLinuxContext(),
  });
  return systemLinkerCache = on ? SYSTEM_LINKER_64 : null;
}

/** This process's SELinux context, or null where it cannot be read (no SELinux). */
function seLinuxContext(): string | null {
  try {
    return readProcText("/proc/self/attr/current").replace(/\0.*$/s, "").trim() || null;
  } catch {
    return null;
  }
}

function env(name: string): string | undefined {
  const value = getenvBytes(name);
  return value && decoder.decode(value);
}

/** Refuses, with the way out named, what this libc's posix_spawn cannot do. */
export function assertPosixSpawnSupports(valid: ValidOptions, caps: PosixSpawnCaps): void {
  const refuse = (what: string) =>
    new CoreError(
      "UnsupportedOption",
      "posix_spawn",
      `${what} on this libc; use backend "fork" or "vfork" (native helper) instead`,
    );
  if (!caps.available) throw refuse("posix_spawn is unavailable (bionic needs Android API 28+)");
  if (valid.cwd && !caps.addchdir) {
    throw refuse("cwd needs posix_spawn_file_actions_addchdir_np (glibc 2.29+, Android API 34+)");
  }
  if (valid.rlimits.length > 0) throw refuse("rlimits cannot be set through posix_spawn");
  if (valid.confine) {
    throw refuse(
      "confine needs code in the child between fork and exec, which posix_spawn cannot run",
    );
  }
  if (valid.dieWithParent) {
    throw refuse(
      "dieWithParent needs code in the child (PR_SET_PDEATHSIG), which posix_spawn cannot run",
    );
  }
  if (valid.uid !== null || valid.gid !== null) {
    throw refuse("uid and gid need code in the child (setresuid), which posix_spawn cannot run");
  }
  if (valid.pgroup === "isolated" && !caps.setsid) {
    throw refuse(`pgroup "isolated" needs POSIX_SPAWN_SETSID (glibc 2.26+, Android API 28+)`);
  }
}

function assertDirectory(cwd: Uint8Array): void {
  const errno = directoryErrno(cString(cwd));
  if (errno !== 0) {
    const path = decoder.decode(cwd);
    throw sysError(
      "validate cwd",
      errno,
      `cwd ${JSON.stringify(path)} is not a usable directory`,
      path,
    );
  }
}

/** PATH as the child will see it decides the search, like execvpe; undefined when it has none. */
function childPath(valid: ValidOptions): Uint8Array | undefined {
  const fromEnv = valid.env?.get("PATH");
  if (fromEnv === null) return undefined; // removed: the child has no PATH
  if (fromEnv) return fromEnv;
  if (valid.clearEnv) return undefined;
  return getenvBytes("PATH");
}

function getenvBytes(name: string): Uint8Array | undefined {
  const c = libc();
  const p = c.symbols.getenv(cString(encoder.encode(name)));
  return p ? cStringAt(p, c.symbols.strlen) : undefined;
}

function buildEnv(valid: ValidOptions): CStringArray | null {
  if (!valid.env && !valid.clearEnv) return null;
  const c = libc();
  const entries = new Map<string, Uint8Array>();
  if (!valid.clearEnv) {
    for (const entry of readEnviron(c.symbols.environ, c.symbols.strlen)) {
      const eq = entry.indexOf(0x3d);
      entries.set(decoder.decode(eq < 0 ? entry : entry.subarray(0, eq)), entry);
    }
  }
  for (const [key, value] of valid.env ?? []) {
    if (value === null) {
      entries.delete(key);
      continue;
    }
    const k = encoder.encode(key);
    const entry = new Uint8Array(k.length + 1 + value.length);
    entry.set(k);
    entry[k.length] = 0x3d;
    entry.set(value, k.length + 1);
    entries.set(key, entry);
  }
  return cStringArray([...entries.values()]);
}
