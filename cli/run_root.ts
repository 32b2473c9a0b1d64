/**
 * `coreshift run --as-root`: the command goes through `su` with {@linkcode runAsRoot}, which
 * knows each su flavour, reports the real exit status, and on timeout kills the root command's
 * whole process group.
 * @module
 */
import { runAsRoot } from "../android/root.ts";
import { CoreError } from "../ffi/errors.ts";
import type { SpawnOptions } from "../ffi/spawn/options.ts";
import { EXIT, exitCodeForOutput } from "./exit_codes.ts";
import type { RunJson } from "./run.ts";
import { printError } from "./style.ts";

/** The su-only flags. */
export interface RootFlags {
  /** `--mount-master`. */
  readonly mountMaster: boolean;
  /** `--preserve-env`. */
  readonly preserveEnv: boolean;
}

/** Runs `argv` as root with the flags `coreshift run` parsed; resolves to the exit code. */
export async function runRootCommand(
  argv: readonly string[],
  options: SpawnOptions,
  flags: RootFlags,
  json: boolean,
): Promise<number> {
  const text = new TextDecoder();
  try {
    const out = await runAsRoot(argv, {
      mountMaster: flags.mountMaster,
      preserveEnvironment: flags.preserveEnv,
      env: options.env as Record<string, string> | undefined,
      cwd: options.cwd === undefined ? undefined : String(options.cwd),
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs,
      maxOutput: options.maxOutput,
    });
    const exitCode = exitCodeForOutput(out);
    if (json) {
      const result: RunJson = {
        argv,
        exitCode,
        status: out.status,
        timedOut: out.timedOut,
        untilMatched: false,
        durationMs: out.durationMs,
        rusage: null,
        stdout: text.decode(out.stdout),
        stderr: text.decode(out.stderr),
        error: null,
      };
      console.log(JSON.stringify(result));
    } else {
      await Deno.stdout.write(out.stdout);
      await Deno.stderr.write(out.stderr);
    }
    return exitCode;
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    if (json) {
      const result: RunJson = {
        argv,
        exitCode: EXIT.spawnFailed,
        status: null,
        timedOut: false,
        untilMatched: false,
        durationMs: null,
        rusage: null,
        stdout: "",
        stderr: "",
        error: { code: e.code, message: e.message },
      };
      console.log(JSON.stringify(result));
    } else printError("run", e.message);
    return EXIT.spawnFailed;
  }
}
