/**
 * The options a caller passes to a spawn, with their defaults. Validation turns them into a
 * {@linkcode SpawnPlan} (see plan.ts) before anything is created.
 * @module
 */

/**
 * Everything a spawn can be told. Only `program` is required. Text is a string (encoded as
 * UTF-8) or raw bytes, which pass through untouched.
 */
export interface SpawnOptions {
  /** Program name (searched in PATH) or path (contains `/`; relative paths are against `cwd`). */
  program: string | Uint8Array;
  /** Arguments after argv[0]. */
  args?: readonly (string | Uint8Array)[];
  /** argv[0] as the child sees it; defaults to `program`. */
  argv0?: string | Uint8Array;
  /**
   * Variables to set (or override) in the child's environment: a plain object; a `null` or
   * `undefined` value removes that variable from what the child inherits.
   */
  env?: Readonly<Record<string, string | Uint8Array | null | undefined>>;
  /** Start from an empty environment instead of this process's (default false). */
  clearEnv?: boolean;
  /** Working directory of the child. */
  cwd?: string | Uint8Array;
  /**
   * Bytes to feed the child's stdin, or `"null"` (default: `/dev/null`), `"inherit"`,
   * `"piped"` for a `WritableStream` (`spawn()` only), a file (`{ file: "path" }`, opened by this
   * process, relative to its cwd) or an fd this process owns (`{ fd: 5 }`; it stays open here).
   */
  stdin?: Uint8Array | "null" | "inherit" | "piped" | { readonly file: string } | {
    readonly fd: number;
  };
  /**
   * Where stdout goes (default `"capture"`): `"capture"` collects it into `Output` under
   * `maxOutput`; `"piped"` hands it over as a `ReadableStream` (`spawn()` only); `"inherit"` is
   * this process's own fd; `"null"` is `/dev/null`; `{ file }` writes a file (created with `mode`,
   * default 0o644, unless `create: false`; truncated, or appended to with `append: true`);
   * `{ fd }` is an fd this process owns (it stays open here).
   */
  stdout?:
    | "capture"
    | "piped"
    | "inherit"
    | "null"
    | {
      readonly file: string;
      readonly append?: boolean;
      readonly create?: boolean;
      readonly mode?: number;
    }
    | { readonly fd: number };
  /**
   * Where stderr goes (default `"capture"`), as for `stdout`, or `"stdout"`: wherever stdout
   * goes, in one stream with it (`2>&1`).
   */
  stderr?: SpawnOptions["stdout"] | "stdout";
  /**
   * Process group of the child (default `"none"`): `"none"` stays in the parent's group;
   * `"leader"` leads a new group (`setpgid(0, 0)`), and stops reach the whole group;
   * `"isolated"` leads a new session (`setsid`), detached from the terminal; `{ join: pgid }`
   * joins an existing group of this session (stops then reach that whole group).
   */
  pgroup?: "none" | "leader" | "isolated" | { readonly join: number };
  /**
   * Which inherited fds above 2 the child keeps (default `"cloexecOnly"`): `"cloexecOnly"`
   * relies on close-on-exec, so fds without `FD_CLOEXEC` leak into the child; `"closeFrom3"`
   * gives it 0, 1, 2 and nothing else; `{ allow: [...] }` gives 0, 1, 2 and exactly these fds.
   */
  fdPolicy?: "cloexecOnly" | "closeFrom3" | { readonly allow: readonly number[] };
  /**
   * Cap on captured stdout + stderr in bytes (default 1 MiB). Past it the child is drained to its
   * end, then `OutputOverflowError`. `Infinity`: no cap; `0`: any output overflows.
   */
  maxOutput?: number;
  /** Stop the child (per `cancel`) after this many ms and set `timedOut`. `0` or `Infinity`: none. */
  timeoutMs?: number;
  /**
   * With `cancel: "graceful"`, ms between the first signal and SIGKILL (default 2000);
   * `Infinity`: never SIGKILL (as timeout(1) without `-k`).
   */
  killGraceMs?: number;
  /**
   * With `cancel: "graceful"`, the first signal a stop sends, by name or number (default
   * `"SIGTERM"`), as timeout(1)'s `--signal`.
   */
  killSignal?: string | number;
  /**
   * How a timeout or abort stops the child: `"kill"` (SIGKILL, default), `"graceful"` (SIGTERM,
   * then SIGKILL after `killGraceMs`), or `"none"`: only mark it (`timedOut`, or `Aborted` once
   * it ends) and let it run to its end.
   */
  cancel?: "kill" | "graceful" | "none";
  /**
   * Past `maxOutput`: `"drain"` (default) reads the child to its end, keeping nothing more;
   * `"kill"` stops it per `cancel` at once (SIGKILL with `cancel: "none"`). Either way the run
   * ends with `OutputOverflowError`. A child that writes forever with no timeout never ends
   * under `"drain"`.
   */
  overflow?: "drain" | "kill";
  /**
   * Called with each stdout chunk as it arrives (chunk boundaries are arbitrary). Return true
   * to stop reading stdout: it is closed, `stdoutEarlyExited` is set. If it throws, the child is
   * killed and reaped and the run ends with that error.
   */
  earlyExit?: (chunk: Uint8Array) => boolean;
  /** After an early exit: `"wait"` for the child (default) or `"kill"` it per `cancel`. */
  afterEarlyExit?: "wait" | "kill";
  /**
   * The spawn mechanism. `"vfork"`: the native helper, `clone(CLONE_VM|CLONE_VFORK)` on its own
   * stack, flat however large this process is (the default where the helper loads). `"fork"`:
   * the helper with a plain fork, whose cost grows with this process. `"posixSpawn"`: libc's
   * `posix_spawn` (the default elsewhere); cwd, sessions and rlimits depend on the libc.
   */
  backend?: "posixSpawn" | "fork" | "vfork";
  /**
   * Limits to set in the child before exec (fork and vfork backends), by resource name, each a
   * soft (enforced) and hard (ceiling) limit; `Infinity` is unlimited.
   */
  rlimits?: Partial<
    Record<
      "cpu" | "fsize" | "data" | "stack" | "core" | "nproc" | "nofile" | "memlock" | "as",
      { readonly soft: number; readonly hard: number }
    >
  >;
  /** Cancels the child per `cancel` when aborted (`spawn()` only). */
  signal?: AbortSignal;
  /**
   * Parent fds the child gets under chosen numbers: `{ 3: sock, 4: log }` gives the child this
   * process's `sock` as fd 3 and `log` as fd 4 (targets ≥ 3, sources open here; this process
   * keeps its own). The targets are kept whatever `fdPolicy` says.
   */
  extraFds?: Readonly<Record<number, number>>;
  /**
   * The child gets SIGKILL when this process dies, however it dies (`PR_SET_PDEATHSIG`, with a
   * re-check for a parent that died first). Fork and vfork only: the posixSpawn backend runs no
   * code in the child and refuses it. Default false; `ProcessRegistry` children default to true.
   */
  dieWithParent?: boolean;
  /**
   * The child's user id, set in the child before exec (`setresuid`; a root parent's
   * supplementary groups are dropped first, as Rust's std does). fork and vfork only.
   */
  uid?: number;
  /**
   * The child's group id, set in the child before exec (`setresgid`). fork and vfork only;
   * refused on Android from API 28, whose app seccomp filter kills on `setresgid`.
   */
  gid?: number;
  /**
   * Run the child in a new pseudo-terminal of `columns` × `rows`: a new session whose
   * controlling terminal is the pty's slave on 0, 1 and 2, so `isatty()` is true and line
   * discipline applies (`\x03` is SIGINT to its foreground group). Its output (stdout and
   * stderr together) is `stdout` (`"capture"` or `"piped"`); `stdin` bytes or `"piped"` are
   * typed into it; `Child.resize()` changes its size. Every backend: the helper calls
   * TIOCSCTTY after setsid; posix_spawn sets SETSID and reopens the slave as its last file
   * action, which makes it the controlling terminal (both libcs run setsid first).
   */
  pty?: { readonly columns: number; readonly rows: number };
  /**
   * What the child carries into its program, applied by the helper after the fd policy, in this
   * order: `noNewPrivs` (implied by the others), `landlock` (only `read` paths readable and
   * executable, `write` paths also writable, nothing else; needs Landlock, Linux 5.13+), then
   * just before exec `seccomp`: a `deny` list (those calls fail with `action`, default `"EPERM"`,
   * or `"kill"`: SIGSYS) or an `allow` list (only those run), and `socket: ["unix"]` to allow
   * `socket()` for those address families only. With `bestEffort`, what this kernel cannot do
   * is skipped and named in `Output.notApplied` instead of failing. Fork and vfork only. Limits
   * (memory, processes, CPU time) are `rlimits`.
   */
  confine?: {
    readonly noNewPrivs?: boolean;
    readonly seccomp?: {
      readonly deny?: readonly string[];
      readonly allow?: readonly string[];
      readonly action?: "kill" | `E${string}`;
      readonly socket?: readonly ("unix" | "inet" | "inet6" | "netlink" | "packet")[];
    };
    readonly landlock?: { readonly read?: readonly string[]; readonly write?: readonly string[] };
    readonly bestEffort?: boolean;
  };
  /**
   * Termux's `$PREFIX` (an absolute path): the program search also tries `/system/bin`, and a
   * script whose `#!` names `/bin/…`, `/usr/bin/…` (like `/usr/bin/env`) runs through the
   * `$PREFIX/bin` equivalent, which `libtermux-exec` would do for libc's exec but not for ours.
   * Default: Termux's own prefix when running inside Termux on Android, none elsewhere; `null`
   * turns it off.
   */
  termuxPrefix?: string | null;
  /**
   * With a Termux prefix: the linker to run programs under the app's data directory through
   * (`linker64 path args…`), as termux-exec does where Android forbids an app to exec its own
   * files (Android 10+, targetSdk ≥ 29). Default: `/system/bin/linker64` where termux-exec's
   * rules say it is needed, else none; `null` turns it off.
   */
  systemLinker?: string | null;
}

/** Text or raw bytes. */
export type Bytes = string | Uint8Array;
/** Where a child's output stream goes, as a mode (redirections are validated into objects). */
export type StdioMode = "capture" | "piped" | "inherit" | "null";
/** Which inherited fds above 2 the child may keep. */
export type FdPolicy = NonNullable<SpawnOptions["fdPolicy"]>;
/** Process group of the child. */
export type PgroupMode = NonNullable<SpawnOptions["pgroup"]>;

/**
 * The group a child's group signals go to: null when it stays in ours, its own pid when it
 * leads a group or session, the joined group otherwise.
 */
export function childGroup(pgroup: PgroupMode, pid: number): number | null {
  if (pgroup === "none") return null;
  return typeof pgroup === "object" ? pgroup.join : pid;
}
/** How a timeout or abort stops the child. */
export type CancelPolicy = NonNullable<SpawnOptions["cancel"]>;
/** The spawn mechanism. */
export type Backend = NonNullable<SpawnOptions["backend"]>;
type Rlimits = NonNullable<SpawnOptions["rlimits"]>;
/** Resource limits the fork and vfork backends can set in the child. */
export type RlimitName = keyof Rlimits;
/** A soft and hard limit; `Infinity` means unlimited. */
export type Rlimit = NonNullable<Rlimits[RlimitName]>;

/** Defaults applied by validation. */
export const DEFAULTS = {
  maxOutput: 1024 * 1024,
  killGraceMs: 2000,
  killSignal: "SIGTERM",
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
  "killSignal",
  "cancel",
  "overflow",
  "earlyExit",
  "afterEarlyExit",
  "backend",
  "rlimits",
  "signal",
  "extraFds",
  "dieWithParent",
  "uid",
  "gid",
  "confine",
  "pty",
  "termuxPrefix",
  "systemLinker",
]);
