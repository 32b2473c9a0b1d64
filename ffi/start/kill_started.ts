/**
 * The one rule for killing what a start made, used wherever a child must go before it was
 * supervised to its end (a child whose async supervision could not be set up, an abandoned
 * start, a sync run unwound by an error): a process group we made (the child leads its own, or
 * it is a pipeline's) goes whole; in a group the child only joined, the other members are not
 * ours, so only the child.
 * @module
 */
import { libc } from "../os/libc.ts";
import { sendSignal } from "../platform/process_control.ts";

/** Whether the group `pgid` is ours to kill whole: the child's own, or a pipeline's. */
export function ownsGroup(pid: number, pgid: number | null, isPipeline: boolean): boolean {
  return pgid !== null && (pgid === pid || isPipeline);
}

/**
 * SIGKILL to what a start made, by {@linkcode ownsGroup}. `childAlive` false skips the child
 * itself once it has been reaped (its pid may belong to someone else by now).
 */
export function killStarted(
  pid: number,
  pgid: number | null,
  isPipeline: boolean,
  childAlive = true,
): void {
  const { SIGKILL } = libc().abi.kernel.common.signals;
  if (ownsGroup(pid, pgid, isPipeline)) sendSignal(pgid!, SIGKILL, true);
  else if (childAlive) sendSignal(pid, SIGKILL, false);
}
