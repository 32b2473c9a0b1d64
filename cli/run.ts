/**
 * `coreshift run [options] -- program args…`: every spawn option as a flag, exit codes as
 * timeout(1) and env(1) give them.
 * @module
 */
import { parseArgs } from "node:util";
import { CoreError, invalidArgument } from "../ffi/os/errors.ts";
import type { Backend, FdPolicy, SpawnOptions } from "../ffi/options/options.ts";
import { type Output, OutputOverflowError } from "../ffi/supervise/output.ts";
import { spawn } from "../ffi/run/spawn.ts";
import { signalNumber } from "../ffi/os/exit_status.ts";
import { EXIT, exitCodeForError, exitCodeForOutput } from "./exit_codes.ts";
import { type RootFlags, runRootCommand } from "./run_root.ts";
import { runJson } from "./run_json.ts";
import { runInPty } from "./run_pty.ts";
import { SignalRelay } from "./signal_relay.ts";
import { printError } from "./style.ts";
import { parseDuration, parseSize } from "./units.ts";

/** `coreshift run --help`. */
export const RUN_HELP = `usage: coreshift run [options] -- program [args…]

Runs one program and exits with its status, as timeout(1) and env(1) do: the child's code; 124
on timeout (137 if SIGKILL was needed); 125 when the spawn failed; 126 found but not
executable; 127 not found; 128+N when killed by signal N. Signals sent to coreshift (INT, QUIT,
HUP, TERM, PIPE, USR1, USR2, …) are passed on to the program (its group with --pgroup), and
coreshift then exits with its status; SIGALRM counts as the timeout.

options:
  --backend vfork|fork|posixSpawn   spawn mechanism (default: vfork where the helper loads)
  --timeout DURATION                send the signal after DURATION: 5, 0.5, 1e-3, 200ms, 1.5m,
                                    2h, 1d (a bare number is seconds; 0: no timeout)
  -s, --signal SIG                  the signal sent on timeout (default TERM): TERM, SIGINT, 9, …
  -k, --kill-grace DURATION         then SIGKILL if the program still runs DURATION later
                                    (default: never, as timeout(1) without -k); also spelled
                                    --kill-after, timeout(1)'s name
  --preserve-status                 on timeout, exit with the program's status, not 124
  --max-output SIZE                 cap on captured output, e.g. 1MiB (with --json or --until)
  --fds cloexec|closefrom3|allow=3,4
                                    which inherited fds above 2 the child keeps
  --cwd DIR                         working directory of the child
  --env K=V                         set a variable (repeatable)
  -u, --unset NAME                  remove a variable (repeatable)
  -i, --clear-env                   start from an empty environment
  --pgroup                          the child leads a new process group; kills reach the group
  --setsid                          the child leads a new session (implies a group)
  --until REGEX                     stop the child once its stdout matches (exit 0 if it did)
  --stdin FILE                      the child reads FILE (default: this terminal's stdin)
  --stdout FILE, --stderr FILE      write to FILE (created, truncated; see --append)
  --append                          append to the --stdout and --stderr files instead
  --stderr-to-stdout                2>&1: stderr goes wherever stdout goes
  --die-with-parent                 the child is killed if coreshift itself dies (fork, vfork)
  --pty                             run it in a pseudo-terminal the size of this one, with this
                                    terminal in raw mode (restored on every way out)
  --as-root                         run through su (Magisk, KernelSU, AOSP); a timeout kills
                                    the root command's whole group; output is printed at the end
  --mount-master                    with --as-root: the global mount namespace (su -M)
  --preserve-env                    with --as-root: keep this environment (su -p)
  --json                            capture output and print one JSON result on stdout
  -h, --help                        this text
`;

/** Runs `coreshift run` with the arguments after `run`; resolves to the exit code. */
export function runCommand(args: readonly string[]): number | Promise<number> {
  let parsed;
  try {
    parsed = parseRunArgs(args);
  } catch (e) {
    printError("run", `${(e as Error).message}\n(see coreshift run --help)`);
    return EXIT.spawnFailed;
  }
  if (parsed === "help") {
    console.log(RUN_HELP);
    return 0;
  }
  const { options, json, root, pty } = parsed;
  const argv = [String(options.program), ...(options.args ?? []).map(String)];
  if (root) return runRootCommand(argv, options, root, json);
  if (pty) {
    return runInPty(options, parsed.preserveStatus).catch((e) => {
      if (!(e instanceof CoreError)) throw e;
      printError("run", e.message);
      return exitCodeForError(e);
    });
  }
  return runRelayed(parsed, argv);
}

/**
 * The plain run: the child on the event loop, so that signals sent to coreshift reach it and a
 * closed stdout stops it as SIGPIPE would; exits with its status.
 */
async function runRelayed(parsed: ParsedRun, argv: readonly string[]): Promise<number> {
  const { options, json, until, preserveStatus } = parsed;
  let untilMatched = false;
  let relay: SignalRelay | null = null;
  if (until) {
    options.earlyExit = untilWatcher(until, !json, () => untilMatched = true, () => {
      queueMicrotask(() => relay?.deliver("SIGPIPE")); // our stdout is gone
    });
    options.afterEarlyExit = "kill";
  }
  let output: Output | null = null;
  let error: CoreError | null = null;
  try {
    relay = new SignalRelay({
      timeoutSignal: options.killSignal ?? "SIGTERM",
      graceMs: options.killGraceMs ?? Infinity,
      group: options.pgroup === "leader" || options.pgroup === "isolated",
    });
    const child = spawn(options);
    relay.attach(child);
    output = await child.output();
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    error = e;
    if (e instanceof OutputOverflowError) output = e.output;
  } finally {
    relay?.remove();
  }
  const exitCode = untilMatched
    ? 0
    : output && !error
    ? exitCodeForOutput(output, { preserveStatus, alarmed: relay?.alarmed })
    : error instanceof OutputOverflowError
    ? EXIT.spawnFailed
    : exitCodeForError(error);
  if (json) {
    const printed = writeStdout(
      JSON.stringify(runJson(argv, exitCode, output, error, { untilMatched })) + "\n",
    );
    if (!printed) return EXIT.brokenPipe;
  } else if (error) {
    printError("run", error.message);
  }
  return exitCode;
}

/** Writes `text` to stdout; false when stdout is a closed pipe (as a shell tool, say nothing). */
function writeStdout(text: string | Uint8Array): boolean {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  try {
    for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return false;
    throw e;
  }
}

/** Flags → spawn options. Throws `InvalidArgument` (with the fix) on a bad flag. */
export function parseRunArgs(
  args: readonly string[],
): ParsedRun | "help" {
  const { values, positionals } = parseArgs({
    args: joinDashValues(args, VALUE_FLAGS),
    allowPositionals: true,
    strict: true,
    options: {
      backend: { type: "string" },
      timeout: { type: "string" },
      signal: { type: "string", short: "s" },
      "kill-grace": { type: "string", short: "k" },
      "kill-after": { type: "string" },
      "preserve-status": { type: "boolean" },
      "max-output": { type: "string" },
      fds: { type: "string" },
      cwd: { type: "string" },
      env: { type: "string", multiple: true },
      unset: { type: "string", short: "u", multiple: true },
      "clear-env": { type: "boolean", short: "i" },
      pgroup: { type: "boolean" },
      setsid: { type: "boolean" },
      until: { type: "string" },
      stdin: { type: "string" },
      stdout: { type: "string" },
      stderr: { type: "string" },
      append: { type: "boolean" },
      "stderr-to-stdout": { type: "boolean" },
      "die-with-parent": { type: "boolean" },
      pty: { type: "boolean" },
      "as-root": { type: "boolean" },
      "mount-master": { type: "boolean" },
      "preserve-env": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length === 0) {
    throw invalidArgument(
      "run",
      "no program given",
      "write: coreshift run [options] -- program args…",
    );
  }
  const capture = values.json === true || values.until !== undefined;
  if (values.stdout !== undefined && capture) {
    throw invalidArgument("run", "--stdout FILE with --json or --until", "drop one of them");
  }
  const append = values.append === true;
  const toFile = (file: string | undefined) => file === undefined ? undefined : { file, append };
  const options: SpawnOptions = {
    program: positionals[0],
    args: positionals.slice(1),
    stdin: values.stdin === undefined ? "inherit" : { file: values.stdin },
    stdout: toFile(values.stdout) ?? (capture ? "capture" : "inherit"),
    stderr: values["stderr-to-stdout"]
      ? "stdout"
      : toFile(values.stderr) ?? (values.json ? "capture" : "inherit"),
    pgroup: values.setsid ? "isolated" : values.pgroup ? "leader" : "none",
  };
  if (values.backend !== undefined) options.backend = values.backend as Backend;
  if (values["die-with-parent"]) options.dieWithParent = true;
  // As timeout(1): the signal on timeout (TERM unless --signal), SIGKILL only after --kill-grace.
  if (values.timeout !== undefined) {
    options.timeoutMs = parseDuration(values.timeout, "--timeout");
    options.cancel = "graceful";
    options.killGraceMs = Infinity;
  }
  if (values.signal !== undefined) options.killSignal = parseSignal(values.signal);
  if (values["kill-grace"] !== undefined && values["kill-after"] !== undefined) {
    throw invalidArgument("run", "--kill-grace and --kill-after are one flag", "give it once");
  }
  const killAfter = values["kill-grace"] ?? values["kill-after"];
  if (killAfter !== undefined) {
    const grace = parseDuration(killAfter, "--kill-grace");
    options.killGraceMs = grace === 0 ? Infinity : grace; // 0 disables it, as timeout(1)'s -k 0
  }
  if (values["max-output"] !== undefined) {
    options.maxOutput = parseSize(values["max-output"], "--max-output");
  }
  if (values.fds !== undefined) options.fdPolicy = parseFdPolicy(values.fds);
  if (values.cwd !== undefined) options.cwd = values.cwd;
  if (values.env || values.unset) options.env = parseEnv(values.env ?? [], values.unset ?? []);
  if (values["clear-env"]) options.clearEnv = true;
  let until: RegExp | null = null;
  if (values.until !== undefined) {
    try {
      until = new RegExp(values.until);
    } catch (e) {
      throw invalidArgument("--until", `"${values.until}" is not a regex: ${e}`, "fix the pattern");
    }
  }
  const root = values["as-root"]
    ? { mountMaster: values["mount-master"] === true, preserveEnv: values["preserve-env"] === true }
    : null;
  if (root) {
    const refused = [
      "backend",
      "fds",
      "pgroup",
      "setsid",
      "until",
      "clear-env",
      "signal",
      "unset",
      "preserve-status",
    ]
      .filter((flag) => values[flag as keyof typeof values] !== undefined);
    if (refused.length) {
      throw invalidArgument(
        "--as-root",
        `--${refused[0]} cannot apply to a command su runs`,
        "drop it, or run without --as-root",
      );
    }
  } else if (values["mount-master"] || values["preserve-env"]) {
    throw invalidArgument(
      "run",
      "--mount-master and --preserve-env are su options",
      "add --as-root, or drop them",
    );
  }
  const pty = values.pty === true;
  if (pty) {
    const clash = ["json", "until", "stdin", "stdout", "stderr", "stderr-to-stdout", "as-root"]
      .find((flag) => values[flag as keyof typeof values] !== undefined);
    if (clash) {
      throw invalidArgument(
        "--pty",
        `--${clash} cannot go with --pty`,
        "the pty is the program's terminal",
      );
    }
  }
  return {
    options,
    json: values.json === true,
    until,
    root,
    pty,
    preserveStatus: values["preserve-status"] === true,
  };
}

/** What `parseRunArgs` gives back. */
export interface ParsedRun {
  readonly options: SpawnOptions;
  readonly json: boolean;
  /** Set with `--pty`. */
  readonly pty: boolean;
  readonly until: RegExp | null;
  /** `--preserve-status`: the program's status even on a timeout. */
  readonly preserveStatus: boolean;
  /** Set with `--as-root`. */
  readonly root: RootFlags | null;
}

function parseFdPolicy(text: string): FdPolicy {
  if (text === "cloexec") return "cloexecOnly";
  if (text === "closefrom3") return "closeFrom3";
  const m = /^allow=(\d+(?:,\d+)*)$/.exec(text);
  if (m) return { allow: m[1].split(",").map(Number) };
  throw invalidArgument(
    "--fds",
    `"${text}" is not an fd policy`,
    "use cloexec, closefrom3 or allow=3,4",
  );
}

function parseEnv(
  pairs: readonly string[],
  unset: readonly string[],
): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw invalidArgument("--env", `"${pair}" is not K=V`, "write --env NAME=value");
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  for (const name of unset) {
    if (name === "" || name.includes("=")) {
      throw invalidArgument("--unset", `"${name}" is not a variable name`, "write --unset NAME");
    }
    env[name] = null;
  }
  return env;
}

/** `TERM`, `SIGTERM`, `term` or `15` → a signal the library takes. */
function parseSignal(text: string): string | number {
  const upper = text.toUpperCase();
  const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  const n = /^\d+$/.test(text) ? Number(text) : signalNumber(name);
  if (n === undefined || n === 0 || signalNumber(n) === undefined) {
    throw invalidArgument(
      "--signal",
      `"${text}" is not a signal`,
      "write e.g. TERM, INT, KILL or 15",
    );
  }
  return /^\d+$/.test(text) ? n : name;
}

/** Flags that take a value: a value starting with "-" (`--timeout -5`) is theirs, not a flag. */
const VALUE_FLAGS = new Set([
  "--timeout",
  "--kill-grace",
  "--kill-after",
  "-k",
  "--signal",
  "-s",
  "--max-output",
]);

/**
 * `--flag -5` as `--flag=-5`, so that a negative value reaches the flag's own check ("is
 * negative") instead of parseArgs calling it ambiguous. Stops at `--`.
 */
function joinDashValues(args: readonly string[], flags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === "--") return [...out, ...args.slice(i)];
    if (flags.has(args[i]) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/**
 * An earlyExit callback that matches `pattern` against the stdout seen so far (the last 64 KiB,
 * so a match may span chunks), echoing it as it arrives unless the result is printed as JSON;
 * `onStdoutClosed` runs once if the echo meets a closed stdout.
 */
function untilWatcher(
  pattern: RegExp,
  echo: boolean,
  onMatch: () => void,
  onStdoutClosed: () => void,
): (chunk: Uint8Array) => boolean {
  const decoder = new TextDecoder();
  let seen = "";
  return (chunk) => {
    if (echo && !writeStdout(chunk)) {
      echo = false;
      onStdoutClosed();
    }
    seen = (seen + decoder.decode(chunk, { stream: true })).slice(-65536);
    if (!pattern.test(seen)) return false;
    onMatch();
    return true;
  };
}
