/**
 * Checks every option before anything is created, so bad input never leaves an fd or a child
 * behind. Each refusal is a `CoreError` whose message says what to change.
 * @module
 */

import { validateConfine, type ValidConfine } from "../confine/confine_options.ts";
import { describeValue, invalidArgument } from "../os/errors.ts";
import { hostPlatform } from "../platform/platform.ts";
import {
  type Backend,
  type CancelPolicy,
  DEFAULTS,
  OPTION_KEYS,
  type PgroupMode,
  type SpawnOptions,
  type StdioMode,
} from "./options.ts";
import { type Redirect, validateRedirect } from "./redirect.ts";
import {
  validateBackend,
  validateEnv,
  validateId,
  validatePgroup,
  validateRlimits,
  validateSystemLinker,
  validateTermuxPrefix,
  type ValidRlimit,
} from "./validate_process.ts";
import { validateCallback, validateKillSignal, validateSignal } from "./validate_stop.ts";
import {
  STDERR_MODES,
  STDIO_MODES,
  validateExtraFds,
  validateFdPolicy,
  validatePty,
  validateStdin,
  type ValidFdPolicy,
} from "./validate_streams.ts";
import {
  bool,
  byteCap,
  cBytes,
  list,
  nonNegativeMs,
  oneOf,
  optionalTimeout,
  refuseUnknownKeys,
} from "./value_checks.ts";

/** Options after validation: every default applied, every string as bytes without NUL. */
export interface ValidOptions {
  readonly program: Uint8Array;
  readonly args: readonly Uint8Array[];
  readonly argv0: Uint8Array;
  /** Variables to set; a null value removes the inherited one. */
  readonly env: ReadonlyMap<string, Uint8Array | null> | null;
  readonly clearEnv: boolean;
  readonly cwd: Uint8Array | null;
  readonly stdin: Uint8Array | "null" | "inherit" | "piped" | Redirect;
  readonly stdout: StdioMode | Redirect;
  readonly stderr: StdioMode | "stdout" | Redirect;
  readonly pgroup: PgroupMode;
  readonly fdPolicy: ValidFdPolicy;
  /** `extraFds` as pairs, by target. */
  readonly extraFds: readonly { readonly target: number; readonly source: number }[];
  readonly dieWithParent: boolean;
  readonly confine: ValidConfine | null;
  readonly pty: { readonly columns: number; readonly rows: number } | null;
  readonly maxOutput: number;
  readonly timeoutMs: number | null;
  readonly killGraceMs: number;
  /** The child's user and group ids, or null to keep ours. */
  readonly uid: number | null;
  readonly gid: number | null;
  /** The first signal of a graceful stop, by name. */
  readonly killSignal: string;
  readonly cancel: CancelPolicy;
  readonly overflow: "drain" | "kill";
  readonly earlyExit: ((chunk: Uint8Array) => boolean) | null;
  readonly afterEarlyExit: "wait" | "kill";
  /** The backend asked for; null lets the planner choose. */
  readonly backend: Backend | null;
  readonly rlimits: readonly ValidRlimit[];
  readonly signal: AbortSignal | null;
  /** Termux prefix for lookup and `#!` rewriting; `"auto"` detects it at plan time. */
  readonly termuxPrefix: string | null | "auto";
  readonly systemLinker: string | null | "auto";
}

/**
 * Who will run the child: `runSync` blocks the thread, so it cannot hand out streams or watch an
 * AbortSignal; `spawn` can.
 */
export type RunMode = "sync" | "async";

/** Validates `options`; throws `CoreError` (`InvalidArgument`, `EBADF`, …) on the first problem. */
export function validateOptions(options: SpawnOptions, mode: RunMode = "sync"): ValidOptions {
  refuseUnknownKeys(options, OPTION_KEYS, "validate options", "pass { program, … }");
  const program = cBytes(options.program, "program");
  if (program.length === 0) {
    throw invalidArgument("validate program", "program is empty", "name a program or a path");
  }
  const args = list(options.args, "args").map((a, i) => cBytes(a, `args[${i}]`));
  const argv0 = options.argv0 === undefined ? program : cBytes(options.argv0, "argv0");
  const cwd = options.cwd === undefined ? null : cBytes(options.cwd, "cwd");
  if (cwd?.length === 0) {
    throw invalidArgument("validate cwd", "cwd is empty", "omit it or name a directory");
  }
  const valid: ValidOptions = {
    program,
    args,
    argv0,
    env: validateEnv(options.env),
    clearEnv: bool(options.clearEnv, "clearEnv", false),
    cwd,
    stdin: validateStdin(options.stdin),
    stdout: validateRedirect(options.stdout, "stdout", true) ??
      oneOf(options.stdout, STDIO_MODES, "stdout", DEFAULTS.stdio) as StdioMode,
    stderr: validateRedirect(options.stderr, "stderr", true) ??
      oneOf(options.stderr, STDERR_MODES, "stderr", DEFAULTS.stdio) as
        | StdioMode
        | "stdout",
    pgroup: validatePgroup(options.pgroup),
    fdPolicy: validateFdPolicy(options.fdPolicy),
    extraFds: validateExtraFds(options.extraFds),
    dieWithParent: bool(options.dieWithParent, "dieWithParent", false),
    uid: validateId(options.uid, "uid"),
    gid: validateId(options.gid, "gid"),
    confine: validateConfine(options.confine, hostPlatform().arch),
    pty: validatePty(options),
    maxOutput: byteCap(options.maxOutput, "maxOutput", DEFAULTS.maxOutput),
    timeoutMs: optionalTimeout(options.timeoutMs, "timeoutMs"),
    killGraceMs: options.killGraceMs === undefined || options.killGraceMs === Infinity
      ? options.killGraceMs ?? DEFAULTS.killGraceMs
      : nonNegativeMs(options.killGraceMs, "killGraceMs"),
    killSignal: validateKillSignal(options.killSignal),
    cancel: oneOf(
      options.cancel,
      ["kill", "graceful", "none"],
      "cancel",
      DEFAULTS.cancel,
    ) as CancelPolicy,
    overflow: oneOf(options.overflow, ["drain", "kill"], "overflow", "drain") as "drain" | "kill",
    earlyExit: validateCallback(options.earlyExit),
    afterEarlyExit: oneOf(
      options.afterEarlyExit,
      ["wait", "kill"],
      "afterEarlyExit",
      DEFAULTS.afterEarlyExit,
    ) as "wait" | "kill",
    backend: validateBackend(options.backend),
    rlimits: validateRlimits(options.rlimits),
    signal: validateSignal(options.signal),
    termuxPrefix: validateTermuxPrefix(options.termuxPrefix),
    systemLinker: validateSystemLinker(options.systemLinker),
  };
  if (valid.earlyExit && valid.stdout !== "capture") {
    throw invalidArgument(
      "validate earlyExit",
      `earlyExit watches captured stdout, but stdout is ${describeValue(options.stdout)}`,
      'set stdout: "capture", or read the stdout stream and stop when you have enough',
    );
  }
  if (valid.pty) {
    // The child leads a new session whose terminal is the pty: its streams are the pty.
    (valid as { pgroup: PgroupMode }).pgroup = "isolated";
  }
  const policy = valid.fdPolicy;
  if (policy.kind === "allow") {
    const clash = valid.extraFds.find((e) => policy.fds.includes(e.target));
    if (clash) {
      throw invalidArgument(
        "validate extraFds",
        `fd ${clash.target} is both allowlisted and an extraFds target`,
        "list it in one of them",
      );
    }
  }
  if (mode === "sync") refuseAsyncOnly(valid);
  return valid;
}

/** `runSync` returns only when the child is gone: streams and abort signals have no one to serve. */
function refuseAsyncOnly(valid: ValidOptions): void {
  for (const stream of ["stdin", "stdout", "stderr"] as const) {
    if (valid[stream] === "piped") {
      throw invalidArgument(
        `validate ${stream}`,
        `${stream}: "piped" needs a stream reader, which runSync cannot hand out`,
        'use spawn() for streams, or "capture" with runSync',
      );
    }
  }
  if (valid.signal) {
    throw invalidArgument(
      "validate signal",
      "runSync blocks the thread, so an AbortSignal could never fire during it",
      "use spawn() with signal, or timeoutMs with runSync",
    );
  }
}
