/**
 * What a finished child leaves behind.
 * @module
 */
import { CoreError } from "../errors.ts";
import type { ExitStatus } from "../exit_status.ts";
import type { ResourceUsage } from "../process_control.ts";

/** The result of a finished child. */
export interface Output {
  /** The child's process id (already reaped: do not signal it). */
  readonly pid: number;
  /** `{ kind: "exited", code }` or `{ kind: "signaled", signal, signalName }`. */
  readonly status: ExitStatus;
  /** True when the child exited with code 0. */
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
  /** Peak RSS and CPU time of the child, from `wait4`. */
  readonly rusage: ResourceUsage;
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
 * Thrown by `Child.output()` when the spawn's AbortSignal fired. The child was cancelled per the
 * cancel policy and reaped; `output` holds what it wrote before, `cause` the signal's reason.
 */
export class AbortedError extends CoreError {
  /** Everything kept, with the child's final status. */
  readonly output: Output;

  /**
   * Wraps the output of a cancelled child.
   * @param output what was kept, with the final status
   * @param reason the AbortSignal's reason
   */
  constructor(output: Output, reason: unknown) {
    super("Aborted", "spawn", "the AbortSignal fired and the child was cancelled", {
      cause: reason,
    });
    this.output = output;
  }
}
