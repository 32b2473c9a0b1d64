/**
 * What the sync driver (runSync's loop) and the async driver (`Child` on the event loop) share
 * around their {@linkcode Supervision}, written once: setting it up from a plan, the port's
 * `signal`, offering output to an early-exit callback, and building the `Output`.
 * @module
 */
import { libc } from "../os/libc.ts";
import { type Reaped, sendSignal } from "../platform/process_control.ts";
import type { SupervisePlan } from "../plan/plan.ts";
import type { CoreError } from "../os/errors.ts";
import type { OutputBudget } from "./drain.ts";
import { finishOutput, type Output } from "./output.ts";
import {
  cancelEscalation,
  type StopSignal,
  Supervision,
  type SupervisionPort,
} from "./supervision.ts";

/** The supervision of a child started from `plan`; `pgid` is the group stops go to, if any. */
export function supervisionFor(
  plan: SupervisePlan,
  pgid: number | null,
  port: SupervisionPort,
): Supervision {
  return new Supervision({
    group: pgid !== null,
    escalation: cancelEscalation(plan.cancel, plan.killGraceMs, plan.killSignal),
    afterEarlyExit: plan.afterEarlyExit,
    stopOnOverflow: plan.overflow === "kill",
  }, port);
}

/**
 * The port's `signal`: to the group when asked and there is one (even after the leader was
 * reaped: survivors may hold its pipes), else to the child while it has not been reaped.
 */
export function signalChild(
  child: { readonly pid: number; readonly pgid: number | null; readonly reaped: boolean },
  name: StopSignal | "SIGCONT",
  group: boolean,
): void {
  const n = libc().abi.kernel.common.signals[name];
  if (group && child.pgid !== null) sendSignal(child.pgid, n, true);
  else if (!child.reaped) sendSignal(child.pid, n, false);
}

/**
 * Offers `chunk` (a copy the callback may keep) to the early-exit callback: an early exit when
 * it answers true, a kill and the error kept when it throws; nothing once either happened.
 */
export function offerEarlyExit(
  sup: Supervision,
  earlyExit: ((chunk: Uint8Array) => boolean) | null,
  chunk: () => Uint8Array,
): void {
  if (!earlyExit || sup.callbackError || sup.earlyExited) return;
  let enough: boolean;
  try {
    enough = earlyExit(chunk());
  } catch (e) {
    return sup.callbackFailed(e);
  }
  if (enough) sup.earlyExit();
}

/** A finished run as a driver knows it. */
export interface DriverRun {
  readonly pid: number;
  readonly plan: SupervisePlan;
  readonly reaped: Reaped;
  readonly supervision: Supervision;
  readonly budget: OutputBudget;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly durationMs: number;
  /** A failure feeding stdin (other than the child closing it). */
  readonly feedError?: CoreError | null;
}

/** The `Output` of a finished run (or the error it ends with), as {@linkcode finishOutput} says. */
export function outputOf(run: DriverRun): Output {
  return finishOutput({
    pid: run.pid,
    reaped: run.reaped,
    stdout: run.stdout,
    stderr: run.stderr,
    durationMs: run.durationMs,
    supervision: run.supervision,
    maxOutput: run.plan.maxOutput,
    droppedBytes: run.budget.dropped,
    notApplied: run.plan.notApplied,
    abortReason: run.plan.signal?.reason,
    feedError: run.feedError,
  });
}
