/**
 * What a finished child leaves behind.
 * @module
 */
import { CoreError } from "../os/errors.ts";
import type { ExitStatus } from "../os/exit_status.ts";
import type { Reaped } from "../platform/process_control.ts";
import type { Supervision } from "./supervision.ts";

/** The result of a finished child. */
export interface Output {
  /** The child's process id (already reaped: do not signal it). */
  readonly pid: number;
  /** `{ kind: "exited", code }` or `{ kind: "signaled", signal, signalName }`. */
  readonly status: ExitStatus;
  /** True when the child exited with code 0 and was not stopped by the timeout. */
  readonly success: boolean;
  /** Captured stdout (empty unless `stdout: "capture"`). */
  readonly stdout: Uint8Array;
  /** Captured stderr (empty unless `stderr: "capture"`). */
  readonly stderr: Uint8Array;
  /** The timeout fired and the child was killed per the cancel policy. */
  readonly timedOut: boolean;
  /** The `earlyExit` callback returned true and stdout was closed. */
  readonly stdoutEarlyExited: boolean;
  /** From spawn to reap, in ms. */
  readonly durationMs: number;
  /**
   * From `wait4`, for the child (a pipeline's last stage): peak resident set in KiB
   * (`ru_maxrss`), user and system CPU time in ms.
   */
  readonly rusage: {
    readonly maxRssKiB: number;
    readonly userMs: number;
    readonly systemMs: number;
  };
  /**
   * For a pipeline: each stage's status, in order. `status` is then the rightmost stage that
   * did not exit 0 (pipefail), or the last stage's when all did; `success` needs every stage.
   */
  readonly stages?: readonly ExitStatus[];
  /** With `confine.bestEffort`: the parts of the confinement this kernel could not apply. */
  readonly notApplied?: readonly string[];
}

/**
 * Thrown when the child wrote more than `maxOutput`. The child was drained to the end and
 * reaped; `output` holds the first `maxOutput` bytes and the final status.
 */
export class OutputOverflowError extends CoreError {
  /** Everything kept, with the child's status. */
  readonly output: Output;
  /** Bytes read past the cap and dropped. */
  readonly droppedBytes: number;

  /**
   * Wraps the partial output of a child that wrote past its cap.
   * @param output what was kept, with the final status
   * @param limit the `maxOutput` in force
   * @param dropped bytes read past the cap and discarded
   */
  constructor(output: Output, limit: number, dropped: number) {
    super(
      "OutputOverflow",
      "capture output",
      `the child wrote ${limit + dropped} bytes, more than maxOutput (${limit}); ` +
        'raise maxOutput, or stream with stdout: "inherit"',
    );
    this.output = output;
    this.droppedBytes = dropped;
  }
}

/**
 * Thrown by `Child.output()` (and `runAsRoot`) when the AbortSignal fired. The child was
 * cancelled per the cancel policy and reaped; `output` holds what it wrote before, `cause` the
 * signal's reason.
 */
export class AbortedError<O = Output> extends CoreError {
  /** Everything kept, with the child's final status. */
  readonly output: O;

  /**
   * Wraps the output of a cancelled child.
   * @param output what was kept, with the final status
   * @param reason the AbortSignal's reason
   */
  constructor(output: O, reason: unknown) {
    super("Aborted", "spawn", "the AbortSignal fired and the child was cancelled", {
      cause: reason,
    });
    this.output = output;
  }
}

function exitedZero(s: ExitStatus): boolean {
  return s.kind === "exited" && s.code === 0;
}

/** A run's status: the child's, or for a pipeline the rightmost stage that failed (pipefail). */
export function runStatus(reaped: Reaped): ExitStatus {
  return reaped.stages?.findLast((s) => !exitedZero(s)) ?? reaped.status;
}

/** What a driver hands to {@linkcode finishOutput} once the child is reaped and its pipes closed. */
export interface FinishedRun {
  readonly pid: number;
  readonly reaped: Reaped;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly durationMs: number;
  readonly supervision: Supervision;
  readonly maxOutput: number;
  /** Bytes read past `maxOutput` and dropped. */
  readonly droppedBytes: number;
  /** The AbortSignal's reason, for an aborted run. */
  readonly abortReason?: unknown;
  /** A failure feeding stdin (other than the child closing it). */
  readonly feedError?: CoreError | null;
  /** Parts of `confine` skipped under `bestEffort`. */
  readonly notApplied?: readonly string[];
}

/**
 * The one `Output` builder of every entry point: the result, or the error the run ends with,
 * in this order: a callback's own error, a stdin feed error, {@linkcode AbortedError},
 * {@linkcode OutputOverflowError}.
 */
export function finishOutput(run: FinishedRun): Output {
  const { rusage, stages } = run.reaped;
  const status = runStatus(run.reaped);
  const sup = run.supervision;
  const output: Output = {
    pid: run.pid,
    status,
    success: exitedZero(status) && !sup.timedOut,
    ...(stages ? { stages } : {}),
    ...(run.notApplied?.length ? { notApplied: run.notApplied } : {}),
    stdout: run.stdout,
    stderr: run.stderr,
    timedOut: sup.timedOut,
    stdoutEarlyExited: sup.earlyExited,
    durationMs: run.durationMs,
    rusage,
  };
  if (sup.callbackError) throw sup.callbackError.error;
  if (run.feedError) throw run.feedError;
  if (sup.aborted) throw new AbortedError(output, run.abortReason);
  if (run.droppedBytes > 0) throw new OutputOverflowError(output, run.maxOutput, run.droppedBytes);
  return output;
}
