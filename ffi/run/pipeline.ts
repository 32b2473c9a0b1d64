/**
 * `pipeline`: `a | b | c` on Deno's event loop, as one {@linkcode Child} (see
 * ffi/run/pipeline_sync.ts for how the stages are connected and started).
 * @module
 */
import type { SpawnOptions } from "../options/options.ts";
import { type pipelineSync, startPipeline } from "./pipeline_sync.ts";
import type { Child } from "./child.ts";
import { refuseAborted, superviseAsync } from "./spawn.ts";

/**
 * Starts `stages` as `stages[0] | stages[1] | …` connected by kernel pipes, all in one process
 * group (stages and options as for `pipelineSync`), and returns one {@linkcode Child} for the
 * whole pipeline: its stdin is the first
 * stage's, its stdout and stderr the last stage's, its timeout, abort, early exit and kills reach
 * every stage, and `output()` adds each stage's status (`stages`) with pipefail semantics.
 *
 * @example
 * ```ts
 * import { pipeline } from "@coreshift/core";
 * const out = await pipeline([
 *   { program: "seq", args: ["1", "1000"] },
 *   { program: "grep", args: ["7"] },
 *   { program: "wc", args: ["-l"] },
 * ], { timeoutMs: 5_000 }).output();
 * console.log(new TextDecoder().decode(out.stdout).trim(), out.stages); // "271" […]
 * ```
 *
 * @throws {CoreError} as `spawn` does; a stage that cannot start stops the stages before it.
 */
export function pipeline(
  stages: Parameters<typeof pipelineSync>[0],
  options: Parameters<typeof pipelineSync>[1] = {},
): Child {
  refuseAborted(options as SpawnOptions);
  const { supervised, others } = startPipeline(stages, options, "async");
  return superviseAsync(supervised, others);
}
