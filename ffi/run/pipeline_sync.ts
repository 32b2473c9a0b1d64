/**
 * `a | b | c` without a shell: each stage's stdout is a kernel pipe into the next stage's stdin
 * (no byte passes through JS), every stage is in one process group (the first leads it, the
 * others join), and the last stage is supervised as one child whose stops reach the whole group.
 * `pipelineSync` drives it on this thread; `pipeline` (ffi/run/pipeline.ts) on the event loop.
 * @module
 */
import { CoreError, describeValue, invalidArgument } from "../os/errors.ts";
import { cloexecPipe, closeFd } from "../os/fds.ts";
import type { SpawnOptions } from "../options/options.ts";
import type { Output } from "../supervise/output.ts";
import { isRedirect, openRedirect, type Redirect } from "../options/redirect.ts";
import { superviseSync } from "./run_sync.ts";
import type { SpawnPlan } from "../plan/plan.ts";
import { abandon, planFor, type Started, startPlanned } from "../start/start.ts";
import type { RunMode } from "../options/validate.ts";
import { isPlainObject } from "../options/value_checks.ts";

/** One stage: its program and what it alone may set (see {@linkcode pipelineSync}). */
export type PipelineStage = Parameters<typeof pipelineSync>[0][number];

/** What a whole pipeline takes: every spawn option but the program's, and a group of its own. */
export type PipelineOptions = NonNullable<Parameters<typeof pipelineSync>[1]>;

/** What one stage may set. */
const STAGE_KEYS = ["program", "args", "argv0", "env", "cwd", "stderr"];

/** Spawn options a pipeline refuses: they belong to a stage, or mean nothing for a pipeline. */
const NOT_PIPELINE_KEYS = ["program", "args", "argv0", "extraFds"];

/** Stage options that only the last stage takes: it is the one supervised. */
const SUPERVISION_KEYS = [
  "timeoutMs",
  "killGraceMs",
  "killSignal",
  "cancel",
  "earlyExit",
  "afterEarlyExit",
  "maxOutput",
  "signal",
] as const;

/**
 * Runs `stages` as `stages[0] | stages[1] | …` and returns the last stage's output, with every
 * stage's status in `stages` and pipefail semantics (`status` is the rightmost failure). The
 * pipeline's `stdin` feeds the first stage, its `stdout`/`stderr` are the last stage's, and its
 * timeout, early exit and cap apply to the whole pipeline.
 *
 * @example
 * ```ts
 * import { pipelineSync } from "@coreshift/core";
 * const out = pipelineSync([
 *   { program: "printf", args: ["b\\na\\nb\\n"] },
 *   { program: "sort" },
 *   { program: "uniq", args: ["-c"] },
 * ], { timeoutMs: 5_000 });
 * console.log(new TextDecoder().decode(out.stdout), out.stages);
 * ```
 *
 * @throws {CoreError} as `runSync` does; a stage that cannot start stops the stages before it.
 */
export function pipelineSync(
  stages: readonly {
    readonly program: string | Uint8Array;
    readonly args?: readonly (string | Uint8Array)[];
    readonly argv0?: string | Uint8Array;
    /** Added to the pipeline's `env`. */
    readonly env?: Readonly<Record<string, string | Uint8Array>>;
    readonly cwd?: string | Uint8Array;
    /** This stage's stderr (default: the pipeline's `stderr` for the last stage, else inherit). */
    readonly stderr?: SpawnOptions["stderr"];
  }[],
  options: Omit<SpawnOptions, "program" | "args" | "argv0" | "pgroup" | "extraFds"> & {
    readonly pgroup?: "leader" | "isolated";
  } = {},
): Output {
  const { supervised, others } = startPipeline(stages, options, "sync");
  return superviseSync(supervised, others);
}

/** A started pipeline: the last stage as the one supervised child, and the pids before it. */
export interface StartedPipeline {
  /**
   * The last stage, with the pipeline's stdin (the parent's end of the first stage's stdin,
   * when it is fed or piped) and its start time: what a driver supervises.
   */
  readonly supervised: Started;
  /** The stages before it, in order. */
  readonly others: readonly number[];
}

/**
 * Starts every stage, connected by kernel pipes, in one process group; returns them in order.
 * Every stage is validated and its program resolved before any starts; if one fails to start,
 * the stages already running are killed and reaped and every fd is closed.
 */
export function startPipeline(
  stages: readonly PipelineStage[],
  options: PipelineOptions,
  mode: RunMode,
): StartedPipeline {
  if (!Array.isArray(stages) || stages.length === 0) {
    throw invalidArgument("pipeline", "stages must be a non-empty array", "pass [{ program }, …]");
  }
  validatePipelineOptions(options ?? {});
  const plans = stages.map((_, k) => planFor(stageOptions(stages, options ?? {}, k), mode));
  const pipes: [number, number][] = [];
  const started: Started[] = [];
  const files: number[] = [];
  try {
    // Every stage's files first: a bad path is an error before any stage runs.
    plans.forEach((plan, k) => plans[k] = withFilesOpened(plan, files));
    for (let k = 0; k < stages.length - 1; k++) pipes.push(cloexecPipe("pipeline pipe"));
    for (let k = 0; k < stages.length; k++) {
      started.push(startPlanned({
        ...plans[k],
        stdin: k === 0 ? plans[k].stdin : fd(pipes[k - 1][0]),
        stdout: k === stages.length - 1 ? plans[k].stdout : fd(pipes[k][1]),
        pgroup: k === 0 ? plans[0].pgroup : { join: started[0].pid },
      }, "here"));
    }
    const first = started[0];
    const last = started.at(-1)!;
    if (last !== first) {
      last.stdio.stdin = first.stdio.stdin; // feeding the first stage is the driver's work
      first.stdio.stdin = -1;
    }
    return {
      supervised: {
        ...last,
        plan: { ...last.plan, stdin: plans[0].stdin },
        startedMono: first.startedMono,
      },
      others: started.slice(0, -1).map((s) => s.pid),
    };
  } catch (e) {
    started.forEach(abandon); // the first stage's group goes first, with every stage in it
    throw e;
  } finally {
    [...pipes.flat(), ...files].forEach(closeFd); // each stage holds its own copies
  }
}

/** `plan` with each `{ file }` opened now and given as its fd (kept in `opened` for closing). */
function withFilesOpened(plan: SpawnPlan, opened: number[]): SpawnPlan {
  const open = <T>(r: T): T | Redirect => {
    if (!isRedirect(r) || r.kind !== "file") return r;
    const n = openRedirect(r);
    opened.push(n);
    return fd(n);
  };
  return {
    ...plan,
    stdin: open(plan.stdin),
    stdout: open(plan.stdout),
    stderr: open(plan.stderr),
  } as SpawnPlan;
}

/** What the whole pipeline's options may hold, beyond what each stage's spawn checks. */
function validatePipelineOptions(options: PipelineOptions): void {
  if (!isPlainObject(options)) {
    throw invalidArgument(
      "pipeline",
      "options must be an object",
      "pass { timeoutMs, … } or omit it",
    );
  }
  const o = options as Record<string, unknown>;
  const key = NOT_PIPELINE_KEYS.find((k) => o[k] !== undefined);
  if (key) {
    throw invalidArgument(
      "pipeline",
      `the pipeline's options have "${key}"`,
      key === "extraFds" ? "a pipeline's stages get no extra fds" : `give "${key}" to a stage`,
    );
  }
  if (o.pgroup !== undefined && o.pgroup !== "leader" && o.pgroup !== "isolated") {
    throw invalidArgument(
      "pipeline",
      `pgroup is ${describeValue(o.pgroup)}`,
      'a pipeline makes a group of its own: "leader" (the default) or "isolated"',
    );
  }
  if (o.pty !== undefined) {
    throw new CoreError(
      "UnsupportedOption",
      "pipeline",
      'a pipeline cannot run in a pty; run one shell in it instead: { program: "sh", args: ["-c", "a | b"], pty }',
    );
  }
}

/** The spawn options of stage `k`: shared ones, the stage's own, supervision on the last. */
function stageOptions(
  stages: readonly PipelineStage[],
  options: PipelineOptions,
  k: number,
): SpawnOptions {
  const stage = stages[k];
  if (typeof stage !== "object" || stage === null) {
    throw invalidArgument("pipeline", `stage ${k} is not an object`, "pass { program, args }");
  }
  const unknown = Object.keys(stage).find((key) => !STAGE_KEYS.includes(key));
  if (unknown) {
    throw invalidArgument(
      "pipeline",
      `stage ${k} has "${unknown}", which only the whole pipeline takes`,
      `a stage takes ${STAGE_KEYS.join(", ")}; put the rest in the pipeline's options`,
    );
  }
  const last = k === stages.length - 1;
  if (!last && (stage.stderr === "piped" || stage.stderr === "capture")) {
    throw invalidArgument(
      "pipeline",
      `stage ${k} has stderr ${describeValue(stage.stderr)}: only the last stage is read`,
      'give it "inherit", "null", "stdout", a file or an fd',
    );
  }
  const shared: Record<string, unknown> = { ...options };
  if (!last) { for (const key of SUPERVISION_KEYS) delete shared[key]; }
  return {
    ...shared,
    ...stage,
    env: options.env || stage.env ? { ...options.env, ...stage.env } : undefined,
    cwd: stage.cwd ?? options.cwd,
    // Placeholders for the pipes, which exist only once every stage is known to be valid.
    stdin: k === 0 ? options.stdin : "null",
    stdout: last ? options.stdout : "null",
    stderr: stage.stderr ?? (last ? options.stderr : "inherit"),
    pgroup: k === 0 ? options.pgroup ?? "leader" : "none",
  } as SpawnOptions;
}

function fd(n: number): Redirect {
  return { kind: "fd", fd: n };
}
