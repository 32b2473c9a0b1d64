/**
 * `coreshift run --as-root`: the command goes through `su` with {@linkcode runAsRoot}, which
 * knows each su flavour, reports the real exit status, and on timeout kills the root command's
 * whole process group.
 * @module
 */
import { runAsRoot } from "../android/root.ts";
import { CoreError } from "../ffi/os/errors.ts";
import type { SpawnOptions } from "../ffi/options/options.ts";
import { EXIT, exitCodeForOutput } from "./exit_codes.ts";
import { runJson } from "./run_json.ts";
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
      // su reports no rusage for the root command: null, not the su client's.
      console.log(JSON.stringify(runJson(argv, exitCode, { ...out, rusage: null }, null)));
    } else {
      await Deno.stdout.write(out.stdout);
      await Deno.stderr.write(out.stderr);
    }
    return exitCode;
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    if (json) console.log(JSON.stringify(runJson(argv, EXIT.spawnFailed, null, e)));
    else printError("run", e.message);
    return EXIT.spawnFailed;
  }
}
