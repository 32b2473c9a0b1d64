/**
 * `chain`: stages run one after another with `&&` semantics, after the files they need are
 * staged.
 * @module
 */
import { CoreError, describeValue } from "../os/errors.ts";
import type { SpawnOptions } from "../options/options.ts";
import type { Output } from "../supervise/output.ts";
import { spawn } from "./spawn.ts";
import { stageFiles } from "./stage_files.ts";

/** Options shared by every stage of a chain, plus the files to stage first. */
export interface ChainOptions extends Omit<SpawnOptions, "program" | "args" | "argv0"> {
  /**
   * A budget in ms for the whole chain: each stage's timeout is what is left of it (or its own
   * `timeoutMs`, if sooner), and a stage whose turn comes after it ran out does not start.
   */
  readonly totalTimeoutMs?: number;
  /**
   * Files written before the first stage runs, atomically (write + rename) and in order: each
   * `path` (its directory must exist), `data`, and `mode` (default 0o644, set exactly, umask
   * aside).
   */
  readonly stageFiles?: readonly {
    readonly path: string;
    readonly data: string | Uint8Array;
    readonly mode?: number;
  }[];
}

/** What a chain did. */
export interface ChainResult {
  /** Every stage ran and exited with 0. */
  readonly success: boolean;
  /** The output of each stage that ran, in order (a stage that could not start has none). */
  readonly outputs: readonly Output[];
  /**
   * Why the chain stopped early, or null: the failing stage's index and argv, the `reason` in
   * words (`exited with 2`, `killed by SIGKILL (timeout)`, a spawn error), and the error when
   * the stage could not start or overflowed.
   */
  readonly failure: {
    readonly stage: number;
    readonly argv: readonly (string | Uint8Array)[];
    readonly reason: string;
    readonly error: CoreError | null;
  } | null;
}

/** Why a chain stopped early. */
export type ChainFailure = NonNullable<ChainResult["failure"]>;

/**
 * Runs `stages` in order like `a && b && c`: each starts only if the one before exited with 0.
 * `stageFiles` are in place before the first stage; a staging error throws before anything runs.
 *
 * @example Stage a script, then run it
 * ```ts
 * import { chain } from "@coreshift/core";
 * const result = await chain([["sh", "./build.sh"], ["ls", "out"]], {
 *   stageFiles: [{ path: "./build.sh", data: "mkdir -p out\n", mode: 0o755 }],
 * });
 * if (!result.success) console.error(`stage ${result.failure!.stage}: ${result.failure!.reason}`);
 * ```
 */
export async function chain(
  stages: readonly (readonly (string | Uint8Array)[])[],
  options: ChainOptions = {},
): Promise<ChainResult> {
  if (options !== null && typeof options !== "object") {
    throw new CoreError(
      "InvalidArgument",
      "validate chain",
      `options is ${describeValue(options)}; pass { stageFiles?, totalTimeoutMs?, … } or omit it`,
    );
  }
  const { stageFiles: files, totalTimeoutMs, ...spawnOptions } = options ?? {};
  if (
    totalTimeoutMs !== undefined &&
    !(typeof totalTimeoutMs === "number" && totalTimeoutMs > 0 && !Number.isNaN(totalTimeoutMs))
  ) {
    throw new CoreError(
      "InvalidArgument",
      "validate chain",
      `totalTimeoutMs is ${describeValue(totalTimeoutMs)}; use a number of ms > 0, or omit it`,
    );
  }
  const deadline = performance.now() + (totalTimeoutMs ?? Infinity);
  if (!Array.isArray(stages) || stages.some((s) => !Array.isArray(s) || s.length === 0)) {
    throw new CoreError(
      "InvalidArgument",
      "validate chain",
      "stages must be a list of non-empty argv arrays; pass e.g. [['make'], ['make', 'test']]",
    );
  }
  if (files) await stageFiles(files);
  const outputs: Output[] = [];
  for (const [stage, argv] of stages.entries()) {
    const failure = (reason: string, error: CoreError | null): ChainResult => ({
      success: false,
      outputs,
      failure: { stage, argv, reason, error },
    });
    const left = deadline - performance.now();
    if (left <= 0) return failure("not started: the chain's totalTimeoutMs ran out", null);
    const own = spawnOptions.timeoutMs || Infinity; // 0 and Infinity: none, as for spawn
    const timeoutMs = Math.min(own, left);
    let output: Output;
    try {
      output = await spawn({
        ...spawnOptions,
        program: argv[0],
        args: argv.slice(1),
        timeoutMs: timeoutMs === Infinity ? undefined : timeoutMs,
      }).output();
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      // Overflow and abort errors carry the stage's output: keep it with the others.
      if ("output" in e) outputs.push(e.output as Output);
      return failure(e.message, e);
    }
    outputs.push(output);
    if (!output.success) return failure(describeFailure(output), null);
  }
  return { success: true, outputs, failure: null };
}

function describeFailure(output: Output): string {
  const why = output.status.kind === "exited"
    ? `exited with ${output.status.code}`
    : `killed by ${output.status.signalName}`;
  return output.timedOut ? `${why} (timeout)` : why;
}
