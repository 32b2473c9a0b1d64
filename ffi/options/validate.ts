/**
 * Checks every option before anything is created, so bad input never leaves an fd or a child
 * behind. Each refusal is a `CoreError` whose message says what to change.
 * @module
 */
import { invalidArgument, sysError } from "../os/errors.ts";
import { fdFlags } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import { toBytes } from "../os/cstrings.ts";
import { signalName, signalNumber } from "../os/exit_status.ts";
import {
  type Backend,
  type CancelPolicy,
  DEFAULTS,
  OPTION_KEYS,
  type PgroupMode,
  type Rlimit,
  type RlimitName,
  type SpawnOptions,
  type StdioMode,
} from "./options.ts";
import { type Redirect, validateRedirect } from "./redirect.ts";
import { validateConfine, type ValidConfine } from "../confine/confine_options.ts";
import { hostPlatform } from "../platform/platform.ts";

/** An fd policy after validation. */
export type ValidFdPolicy =
  | { readonly kind: "cloexecOnly" }
  | { readonly kind: "closeFrom3" }
  | { readonly kind: "allow"; readonly fds: readonly number[] };

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

/** One limit to set, by resource name. */
export interface ValidRlimit {
  readonly name: RlimitName;
  readonly soft: number;
  readonly hard: number;
}

const RLIMIT_NAMES: readonly RlimitName[] = [
  "cpu",
  "fsize",
  "data",
  "stack",
  "core",
  "nproc",
  "nofile",
  "memlock",
  "as",
];

const STDIO_MODES: readonly string[] = ["capture", "piped", "inherit", "null"];
const STDERR_MODES: readonly string[] = [...STDIO_MODES, "stdout"];
const PGROUP_MODES: readonly string[] = ["none", "leader", "isolated"];

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
      `earlyExit watches captured stdout, but stdout is ${JSON.stringify(options.stdout)}`,
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

function validateSignal(signal: unknown): AbortSignal | null {
  if (signal === undefined) return null;
  if (signal instanceof AbortSignal) return signal;
  throw invalidArgument(
    "validate signal",
    "signal must be an AbortSignal",
    "pass controller.signal",
  );
}

function cBytes(value: unknown, name: string): Uint8Array {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw invalidArgument(`validate ${name}`, `${name} must be a string or Uint8Array`, "");
  }
  const bytes = toBytes(value);
  if (bytes.includes(0)) {
    throw invalidArgument(
      `validate ${name}`,
      `${name} contains a NUL byte`,
      "C strings end at NUL; remove it",
    );
  }
  return bytes;
}

function list(value: unknown, name: string): readonly (string | Uint8Array)[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw invalidArgument(`validate ${name}`, `${name} must be an array`, "pass [] or omit it");
  }
  return value;
}

/** The largest fd number the kernel can hand out (an int). */
const MAX_FD = 2 ** 31 - 1;

function validateEnv(env: SpawnOptions["env"]): Map<string, Uint8Array | null> | null {
  if (env === undefined) return null;
  if (!isPlainObject(env)) {
    throw invalidArgument(
      "validate env",
      "env must be a plain object of name → value",
      "for a Map or Headers, pass Object.fromEntries(it)",
    );
  }
  const out = new Map<string, Uint8Array | null>();
  for (const [key, value] of Object.entries(env)) {
    if (key.length === 0 || key.includes("=") || key.includes("\0")) {
      throw invalidArgument(
        "validate env",
        `env name ${JSON.stringify(key)} is empty or contains "=" or NUL`,
        "use a plain variable name",
      );
    }
    out.set(key, value === null || value === undefined ? null : cBytes(value, `env.${key}`));
  }
  return out;
}

/** Whether `value` is an object literal (or made with a null prototype), not a Map, array or class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function validateStdin(stdin: SpawnOptions["stdin"]): ValidOptions["stdin"] {
  if (stdin === undefined) return "null";
  if (stdin === "null" || stdin === "inherit" || stdin === "piped") return stdin;
  if (stdin instanceof Uint8Array) return stdin;
  const redirect = validateRedirect(stdin, "stdin", false);
  if (redirect) return redirect;
  throw invalidArgument(
    "validate stdin",
    `stdin must be a Uint8Array, "null", "inherit", "piped", { file } or { fd }`,
    "encode text with new TextEncoder().encode(…)",
  );
}

function validateFdPolicy(policy: SpawnOptions["fdPolicy"]): ValidFdPolicy {
  if (policy === undefined || policy === "cloexecOnly") return { kind: "cloexecOnly" };
  if (policy === "closeFrom3") return { kind: "closeFrom3" };
  if (typeof policy !== "object" || policy === null || !Array.isArray(policy.allow)) {
    throw invalidArgument(
      "validate fdPolicy",
      `fdPolicy must be "cloexecOnly", "closeFrom3" or { allow: [fds] }`,
      "",
    );
  }
  const seen = new Set<number>();
  for (const fd of policy.allow) {
    if (!Number.isInteger(fd) || fd < 3 || fd > MAX_FD) {
      throw invalidArgument(
        "validate fdPolicy",
        `allowlisted fd ${fd} is not an integer from 3 to ${MAX_FD}`,
        "0, 1 and 2 are always passed; list only open fds ≥ 3",
      );
    }
    if (seen.has(fd)) {
      throw invalidArgument("validate fdPolicy", `fd ${fd} is listed twice`, "list each fd once");
    }
    seen.add(fd);
    if (fdFlags(fd) < 0) {
      throw sysError("validate fdPolicy", libc().errno(), `fd ${fd} is not open in this process`);
    }
  }
  return { kind: "allow", fds: [...seen].sort((a, b) => a - b) };
}

function validatePty(options: SpawnOptions): ValidOptions["pty"] {
  const pty = options.pty;
  if (pty === undefined) return null;
  const size = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 0xffff;
  if (
    !isPlainObject(pty) || Object.keys(pty).some((k) => k !== "columns" && k !== "rows") ||
    !size(pty.columns) || !size(pty.rows)
  ) {
    throw invalidArgument(
      "validate pty",
      `pty is ${JSON.stringify(pty)}`,
      "use { columns: 80, rows: 24 }",
    );
  }
  const refuse = (what: string) => {
    throw invalidArgument(
      "validate pty",
      `${what} with pty`,
      "the pty is the child's stdin, stdout and stderr",
    );
  };
  const { stdin, stdout, stderr, pgroup } = options;
  if (stdin !== undefined && stdin !== "piped" && !(stdin instanceof Uint8Array)) {
    refuse(`stdin ${JSON.stringify(stdin)}`);
  }
  if (stdout !== undefined && stdout !== "capture" && stdout !== "piped") {
    refuse(`stdout ${JSON.stringify(stdout)}`);
  }
  if (stderr !== undefined && stderr !== "capture") refuse(`stderr ${JSON.stringify(stderr)}`);
  if (pgroup !== undefined && pgroup !== "isolated") refuse(`pgroup ${JSON.stringify(pgroup)}`);
  return { columns: pty.columns as number, rows: pty.rows as number };
}

function validateExtraFds(extra: unknown): ValidOptions["extraFds"] {
  if (extra === undefined) return [];
  if (!isPlainObject(extra)) {
    throw invalidArgument("validate extraFds", "extraFds must be a plain object", "e.g. { 3: fd }");
  }
  return Object.entries(extra).map(([key, source]) => {
    const target = Number(key);
    if (!Number.isInteger(target) || target < 3 || target > MAX_FD) {
      throw invalidArgument(
        "validate extraFds",
        `target fd ${key} is not an integer from 3 to ${MAX_FD}`,
        "0, 1 and 2 are stdin, stdout and stderr: use those options for them",
      );
    }
    if (!Number.isInteger(source) || (source as number) < 0 || (source as number) > MAX_FD) {
      throw invalidArgument(
        "validate extraFds",
        `extraFds[${key}] is ${source}`,
        "give an open fd",
      );
    }
    if (fdFlags(source as number) < 0) {
      throw sysError(
        "validate extraFds",
        libc().errno(),
        `fd ${source} is not open in this process`,
      );
    }
    return { target, source: source as number };
  }).sort((a, b) => a.target - b.target);
}

function validatePgroup(pgroup: unknown): PgroupMode {
  if (typeof pgroup !== "object" || pgroup === null) {
    return oneOf(pgroup, PGROUP_MODES, "pgroup", DEFAULTS.pgroup) as PgroupMode;
  }
  const join = (pgroup as { join?: unknown }).join;
  if (Object.keys(pgroup).length !== 1 || !Number.isInteger(join) || (join as number) <= 0) {
    throw invalidArgument(
      "validate pgroup",
      `pgroup is ${JSON.stringify(pgroup)}`,
      'use "none", "leader", "isolated" or { join: pgid } with a process group id > 0',
    );
  }
  return { join: join as number };
}

function validateCallback(cb: unknown): ValidOptions["earlyExit"] {
  if (cb === undefined) return null;
  if (typeof cb !== "function") {
    throw invalidArgument("validate earlyExit", "earlyExit must be a function", "");
  }
  return cb as (chunk: Uint8Array) => boolean;
}

function validateBackend(backend: unknown): Backend | null {
  if (backend === undefined) return null;
  if (backend === "posixSpawn" || backend === "fork" || backend === "vfork") return backend;
  throw invalidArgument(
    "validate backend",
    `unknown backend ${String(backend)}`,
    `use "vfork", "fork" or "posixSpawn"`,
  );
}

function validateRlimits(limits: unknown): ValidRlimit[] {
  if (limits === undefined) return [];
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw invalidArgument(
      "validate rlimits",
      "rlimits must be a record",
      "e.g. { nofile: { soft: 64, hard: 64 } }",
    );
  }
  return Object.entries(limits).map(([name, value]) => {
    if (!RLIMIT_NAMES.includes(name as RlimitName)) {
      throw invalidArgument(
        "validate rlimits",
        `unknown limit "${name}"`,
        `use one of ${RLIMIT_NAMES.join(", ")}`,
      );
    }
    const { soft, hard } = (value ?? {}) as Partial<Rlimit>;
    const ok = (v: unknown) => v === Infinity || (Number.isSafeInteger(v) && (v as number) >= 0);
    if (!ok(soft) || !ok(hard) || soft! > hard!) {
      throw invalidArgument(
        "validate rlimits",
        `${name} is ${JSON.stringify(value)}`,
        "give { soft, hard } as whole numbers or Infinity, soft ≤ hard",
      );
    }
    return { name: name as RlimitName, soft: soft!, hard: hard! };
  });
}

function oneOf(value: unknown, allowed: readonly string[], name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${JSON.stringify(value)}`,
    `use one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
  );
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  throw invalidArgument(`validate ${name}`, `${name} must be true or false`, "");
}

/** A cap in bytes: a whole number ≥ 0 (0 keeps nothing: any output overflows), or Infinity. */
function byteCap(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${value}`,
    "use a whole number of bytes ≥ 0, or Infinity for no cap",
  );
}

/** A timeout in ms; 0 and Infinity mean none, as in Node's child_process and execa. */
/** A user or group id: 0 to 2^32 − 2 (all ones means "unchanged" to the kernel). */
function validateId(value: unknown, name: string): number | null {
  if (value === undefined) return null;
  if (Number.isInteger(value) && (value as number) >= 0 && (value as number) < 0xffffffff) {
    return value as number;
  }
  throw invalidArgument(`validate ${name}`, `${name} is ${value}`, "give an id from 0 to 2^32 - 2");
}

/** A signal by name or number → its name; undefined → the default first signal. */
function validateKillSignal(value: unknown): string {
  if (value === undefined) return DEFAULTS.killSignal;
  const n = typeof value === "string" || typeof value === "number"
    ? signalNumber(value)
    : undefined;
  if (n === undefined || n === 0) {
    throw invalidArgument(
      "validate killSignal",
      `killSignal is ${JSON.stringify(value)}`,
      'use a signal name like "SIGTERM" or "SIGINT", or its number',
    );
  }
  return signalName(n);
}

function optionalTimeout(value: unknown, name: string): number | null {
  if (value === undefined || value === 0 || value === Infinity) return null;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${value}`,
    "use a number of ms > 0 (0 or Infinity: no timeout)",
  );
}

/**
 * Throws unless `options` is an object whose every key is in `known`: a misspelt option is
 * an error naming the ones there are, never silently ignored. `example` is the hint for a
 * non-object.
 */
export function refuseUnknownKeys(
  options: unknown,
  known: ReadonlySet<string>,
  op: string,
  example: string,
): asserts options is object {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(op, "options must be an object", example);
  }
  const keys = Object.keys(options);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!known.has(key)) {
      throw invalidArgument(op, `unknown option "${key}"`, `use one of: ${[...known].join(", ")}`);
    }
  }
}

function nonNegativeMs(value: unknown, name: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  throw invalidArgument(`validate ${name}`, `${name} is ${value}`, "use a finite number of ms ≥ 0");
}

function validateSystemLinker(value: unknown): string | null | "auto" {
  return pathOrOff(
    value,
    "systemLinker",
    "pass /system/bin/linker64, or null to turn the system linker exec off",
  );
}

function validateTermuxPrefix(value: unknown): string | null | "auto" {
  const prefix = pathOrOff(
    value,
    "termuxPrefix",
    "pass Termux's $PREFIX (e.g. /data/data/com.termux/files/usr), or null to turn it off",
  );
  return typeof prefix === "string" && prefix !== "auto" ? prefix.replace(/\/+$/, "") : prefix;
}

/** An option that is detected when omitted ("auto"), off when null, else an absolute path. */
function pathOrOff(value: unknown, name: string, hint: string): string | null | "auto" {
  if (value === undefined) return "auto";
  if (value === null) return null;
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\0")) {
    throw invalidArgument(
      `validate ${name}`,
      `${name} must be an absolute path or null, got ${JSON.stringify(value)}`,
      hint,
    );
  }
  return value;
}
