/**
 * `Command`'s options: Deno.CommandOptions with Deno's meaning and defaults, and every coreshift
 * spawn option beside them with coreshift's meaning. This turns them into one `SpawnOptions`.
 * Deno's own keys are checked as Deno checks them (a `TypeError`); an unknown key is refused as
 * coreshift refuses one (`CoreError` naming it), where Deno would ignore a typo.
 * @module
 */
import { describeValue, invalidArgument } from "../os/errors.ts";
import { directoryErrno } from "../os/fds.ts";
import { cString } from "../os/cstrings.ts";
import { libc } from "../os/libc.ts";
import { OPTION_KEYS, type SpawnOptions } from "../options/options.ts";
import { refuseUnknownKeys } from "../options/value_checks.ts";

/**
 * Deno.CommandOptions, plus coreshift's spawn options (`timeoutMs`, `fdPolicy`, `pgroup`,
 * `backend`, `pty`, `confine`, …) with their coreshift meaning. `stdin`, `stdout` and `stderr`
 * also take coreshift's redirections (`{ file }`, `{ fd }`, and `stderr: "stdout"`).
 */
export interface CommandOptions extends
  Omit<
    SpawnOptions,
    "program" | "args" | "cwd" | "env" | "clearEnv" | "stdin" | "stdout" | "stderr" | "signal"
  > {
  /** Arguments to pass to the program. */
  args?: (string | Uint8Array)[];
  /** The child's working directory (default: ours). */
  cwd?: string | URL;
  /** Start from an empty environment (then only `env`). */
  clearEnv?: boolean;
  /** Variables set on top of this process's environment. */
  env?: Record<string, string>;
  /** The child's user id (set in the child before exec). */
  uid?: number;
  /** The child's group id (set in the child before exec). */
  gid?: number;
  /** Aborting sends the child SIGTERM (Deno's meaning; not supported by `outputSync`). */
  signal?: AbortSignal;
  /** Default `"inherit"` for `spawn()`, `"null"` for `output()` and `outputSync()`. */
  stdin?: "piped" | "inherit" | "null" | { readonly file: string } | { readonly fd: number };
  /** Default `"inherit"` for `spawn()`, `"piped"` for `output()` and `outputSync()`. */
  stdout?: "piped" | "inherit" | "null" | Exclude<SpawnOptions["stdout"], string | undefined>;
  /** As `stdout`; `"stdout"` sends it wherever stdout goes. */
  stderr?:
    | "piped"
    | "inherit"
    | "null"
    | "stdout"
    | Exclude<SpawnOptions["stderr"], string | undefined>;
  /** Accepted and ignored, as on every Linux Deno. */
  windowsRawArguments?: boolean;
  /** A session of its own (`pgroup: "isolated"`): it keeps running after this process ends. */
  detached?: boolean;
}

/** Deno's option names: everything else must be a coreshift option. */
const DENO_KEYS = [
  "args",
  "cwd",
  "clearEnv",
  "env",
  "uid",
  "gid",
  "signal",
  "stdin",
  "stdout",
  "stderr",
  "windowsRawArguments",
  "detached",
];
const KNOWN_KEYS = new Set([...DENO_KEYS, ...[...OPTION_KEYS].filter((k) => k !== "program")]);

/** How a `Command` is run: collect its output, or spawn a handle with streams. */
export type CommandMode = "output" | "spawn";

/** What `toSpawnOptions` gives: the spawn options, Deno's abort signal, what is piped. */
export interface CommandPlan {
  readonly spawn: SpawnOptions;
  readonly signal: AbortSignal | null;
  readonly piped: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
}

/** The program path of `command` (a `file:` URL becomes its path). */
export function commandPath(command: string | URL): string {
  if (command instanceof URL) return pathOfFileUrl(command);
  if (typeof command !== "string") {
    throw new TypeError(`command must be a string or a file URL, not ${typeof command}`);
  }
  return command;
}

/** Deno.CommandOptions (+ coreshift's) → SpawnOptions for `mode`. */
export function toSpawnOptions(
  program: string,
  options: CommandOptions | undefined,
  mode: CommandMode,
): CommandPlan {
  const o = (options ?? {}) as Record<string, unknown>;
  if (typeof o !== "object" || o === null) throw new TypeError("options must be an object");
  refuseUnknownKeys(o, KNOWN_KEYS, "Command", "pass Deno.CommandOptions");
  const { args, cwd, env, uid, gid, signal, detached, windowsRawArguments: _ignored, ...rest } =
    o as CommandOptions;
  if (args !== undefined && !Array.isArray(args)) throw new TypeError("args must be an array");
  if (env !== undefined) checkEnv(env);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError("signal must be an AbortSignal");
  }
  checkId("uid", uid);
  checkId("gid", gid);
  const dir = cwd === undefined ? undefined : cwd instanceof URL ? pathOfFileUrl(cwd) : cwd;
  if (dir !== undefined) checkCwd(program, dir);
  const fallback = mode === "output"
    ? { stdin: "null", out: "piped" }
    : { stdin: "inherit", out: "inherit" };
  const stdin = stream("stdin", o.stdin ?? fallback.stdin, mode);
  const stdout = stream("stdout", o.stdout ?? fallback.out, mode);
  const stderr = stream("stderr", o.stderr ?? fallback.out, mode);
  if (detached && rest.pgroup !== undefined && rest.pgroup !== "isolated") {
    throw invalidArgument("Command", "detached with a pgroup other than isolated", "drop one");
  }
  const spawn: SpawnOptions = {
    maxOutput: Infinity, // Deno keeps all of it
    ...rest,
    program,
    args,
    cwd: dir,
    env,
    stdin: stdin.value,
    stdout: stdout.value,
    stderr: stderr.value,
    ...(detached ? { pgroup: "isolated" as const } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
  } as SpawnOptions;
  return {
    spawn,
    signal: signal ?? null,
    piped: { stdin: stdin.piped, stdout: stdout.piped, stderr: stderr.piped },
  };
}

/** One stream's Deno value → coreshift's: "piped" is a capture for output(), a stream for spawn(). */
function stream(
  name: "stdin" | "stdout" | "stderr",
  value: unknown,
  mode: CommandMode,
): { value: unknown; piped: boolean } {
  if (value === "piped") {
    if (name === "stdin" && mode === "output") {
      throw new TypeError(
        "Piped stdin is not supported for this function, use 'Deno.Command.spawn()' instead",
      );
    }
    return { value: mode === "output" && name !== "stdin" ? "capture" : "piped", piped: true };
  }
  if (value === "inherit" || value === "null" || (name === "stderr" && value === "stdout")) {
    return { value, piped: false };
  }
  if (typeof value === "object" && value !== null) return { value, piped: false }; // a redirection
  const shown = typeof value === "string" ? value : describeValue(value); // as Deno: unquoted
  throw new TypeError(
    `${name}: unknown variant \`${shown}\`, expected one of \`inherit\`, \`piped\`, \`null\``,
  );
}

function checkId(name: "uid" | "gid", id: unknown): void {
  if (
    id !== undefined &&
    !(Number.isInteger(id) && (id as number) >= 0 && (id as number) <= 0xffffffff)
  ) {
    throw new TypeError(`${name} must be an integer from 0 to 2^32 - 1`);
  }
}

function checkEnv(env: unknown): void {
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    throw new TypeError("env must be an object of strings");
  }
  const keys = Object.keys(env);
  for (let i = 0; i < keys.length; i++) {
    const value = (env as Record<string, unknown>)[keys[i]];
    if (typeof value !== "string") {
      throw new TypeError(`env.${keys[i]} must be a string, not ${typeof value}`);
    }
  }
}

/** Deno checks the cwd before it starts anything, with these words. */
function checkCwd(program: string, dir: string): void {
  const errno = directoryErrno(cString(new TextEncoder().encode(dir)));
  if (errno === 0) return;
  const { ENOENT, ENOTDIR } = libc().abi.kernel.common.errno;
  const prefix = `Failed to spawn '${program}'`;
  if (errno === ENOENT) throw new Deno.errors.NotFound(`${prefix}: No such cwd '${dir}'`);
  if (errno === ENOTDIR) {
    throw new Deno.errors.NotFound(`${prefix}: cwd is not a directory '${dir}'`);
  }
  // Anything else (EACCES, …) is for the child's chdir to report exactly.
}

function pathOfFileUrl(url: URL): string {
  if (url.protocol !== "file:") throw new TypeError("Must be a file URL");
  return decodeURIComponent(url.pathname);
}
