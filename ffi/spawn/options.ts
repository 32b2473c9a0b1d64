/**
 * The options a caller passes to a spawn, with their defaults. Validation turns them into a
 * {@linkcode SpawnPlan} (see plan.ts) before anything is created.
 * @module
 */

/** Text or raw bytes. Strings are encoded as UTF-8; bytes pass through untouched. */
export type Bytes = string | Uint8Array;

/**
 * Where a child's output stream goes.
 * - `"capture"`: collected into `Output` under `maxOutput`.
 * - `"piped"`: handed to the caller as a `ReadableStream` (`spawn()` only).
 * - `"inherit"`: this process's own fd; `"null"`: `/dev/null`.
 */
export type StdioMode = "capture" | "piped" | "inherit" | "null";

/**
 * Which inherited fds above 2 the child may keep.
 * - `"cloexecOnly"`: rely on close-on-exec; fds without `FD_CLOEXEC` leak into the child.
 * - `"closeFrom3"`: the child gets 0, 1, 2 and nothing else.
 * - `{ allow: [...] }`: 0, 1, 2 and exactly these fds, kept open across exec.
 */
export type FdPolicy = "cloexecOnly" | "closeFrom3" | { readonly allow: readonly number[] };

/**
 * Process group of the child.
 * - `"none"`: stays in the parent's group.
 * - `"leader"`: leads a new group (`setpgid(0, 0)`); kills go to the whole group.
 * - `"isolated"`: leads a new session (`setsid`), detached from the terminal; kills go to the group.
 */
export type PgroupMode = "none" | "leader" | "isolated";

/** How a timeout or early-exit kill is delivered: SIGKILL at once, or SIGTERM then SIGKILL. */
export type CancelPolicy = "kill" | "graceful";

/**
 * The spawn mechanism.
 * - `"vfork"`: the native helper, `clone(CLONE_VM|CLONE_VFORK)` on its own stack; fastest, and
 *   flat however large this process is. The default where the helper loads.
 * - `"fork"`: the native helper with a plain fork; costs grow with this process's size.
 * - `"posixSpawn"`: libc's `posix_spawn`; needs no helper, but cwd, sessions and rlimits depend
 *   on the libc version.
 */
export type Backend = "posixSpawn" | "fork" | "vfork";

/** Resource limits the fork and vfork backends can set in the child. */
export type RlimitName =
  | "cpu"
  | "fsize"
  | "data"
  | "stack"
  | "core"
  | "nproc"
  | "nofile"
  | "memlock"
  | "as";

/** A soft and hard limit; `Infinity` means unlimited. */
export interface Rlimit {
  /** The limit the kernel enforces. */
  readonly soft: number;
  /** The ceiling the soft limit may be raised to without privilege. */
  readonly hard: number;
}

/** Everything a spawn can be told. Only `program` is required. */
export interface SpawnOptions {
  /** Program name (searched in PATH) or path (contains `/`; relative paths are against `cwd`). */
  program: Bytes;
  /** Arguments after argv[0]. */
  args?: readonly Bytes[];
  /** argv[0] as the child sees it; defaults to `program`. */
  argv0?: Bytes;
  /** Variables to set (or override) in the child's environment. */
  env?: Readonly<Record<string, Bytes>>;
  /** Start from an empty environment instead of this process's (default false). */
  clearEnv?: boolean;
  /** Working directory of the child. */
  cwd?: Bytes;
  /**
   * Bytes to feed the child's stdin, or `"null"` (default: `/dev/null`), `"inherit"`, or
   * `"piped"` for a `WritableStream` (`spawn()` only).
   */
  stdin?: Uint8Array | "null" | "inherit" | "piped";
  /** Default `"capture"`. */
  stdout?: StdioMode;
  /** Default `"capture"`. */
  stderr?: StdioMode;
  /** Default `"none"`. */
  pgroup?: PgroupMode;
  /** Default `"cloexecOnly"`. */
  fdPolicy?: FdPolicy;
  /** Cap on captured stdout + stderr in bytes (default 1 MiB). Past it: drained, then an error. */
  maxOutput?: number;
  /** Kill the child (per `cancel`) after this many ms and set `timedOut`. */
  timeoutMs?: number;
  /** With `cancel: "graceful"`, ms between SIGTERM and SIGKILL (default 2000). */
  killGraceMs?: number;
  /** Default `"kill"`. */
  cancel?: CancelPolicy;
  /**
   * Called with each stdout chunk as it arrives (chunk boundaries are arbitrary). Return true
   * to stop reading stdout: it is closed, `stdoutEarlyExited` is set.
   */
  earlyExit?: (chunk: Uint8Array) => boolean;
  /** After an early exit: `"wait"` for the child (default) or `"kill"` it per `cancel`. */
  afterEarlyExit?: "wait" | "kill";
  /** Default: `"vfork"` where the native helper loads, else `"posixSpawn"`. */
  backend?: Backend;
  /** Limits to set in the child before exec (fork and vfork backends). */
  rlimits?: Partial<Record<RlimitName, Rlimit>>;
  /** Cancels the child per `cancel` when aborted (`spawn()` only). */
  signal?: AbortSignal;
  /**
   * Termux's `$PREFIX` (an absolute path): the program search also tries `/system/bin`, and a
   * script whose `#!` names `/bin/…`, `/usr/bin/…` (like `/usr/bin/env`) runs through the
   * `$PREFIX/bin` equivalent, which `libtermux-exec` would do for libc's exec but not for ours.
   * Default: Termux's own prefix when running inside Termux on Android, none elsewhere; `null`
   * turns it off.
   */
  termuxPrefix?: string | null;
}

/** Defaults applied by validation. */
export const DEFAULTS = {
  maxOutput: 1024 * 1024,
  killGraceMs: 2000,
  cancel: "kill",
  pgroup: "none",
  fdPolicy: "cloexecOnly",
  stdio: "capture",
  afterEarlyExit: "wait",
} as const;

/** The keys {@linkcode SpawnOptions} accepts; anything else is a typo and is refused. */
export const OPTION_KEYS: ReadonlySet<string> = new Set<keyof SpawnOptions>([
  "program",
  "args",
  "argv0",
  "env",
  "clearEnv",
  "cwd",
  "stdin",
  "stdout",
  "stderr",
  "pgroup",
  "fdPolicy",
  "maxOutput",
  "timeoutMs",
  "killGraceMs",
  "cancel",
  "earlyExit",
  "afterEarlyExit",
  "backend",
  "rlimits",
  "signal",
  "termuxPrefix",
]);
