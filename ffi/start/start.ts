/**
 * The start of every spawn, sync or async: validate, plan, open the pipes, run the backend, and
 * keep only the parent's pipe ends. Whatever fails, nothing is left open.
 * @module
 */
import { keepChildrenWaitable } from "../os/children_waitable.ts";
import { hostPlatform } from "../platform/platform.ts";
import { reap } from "../platform/process_control.ts";
import { childGroup } from "../options/options.ts";
import { killStarted } from "./kill_started.ts";
import { chooseBackend } from "./backend.ts";
import { hostPosixSpawnCaps } from "../platform/capabilities.ts";
import { helperSpawn } from "../native/helper_spawn.ts";
import type { SpawnOptions } from "../options/options.ts";
import { planSpawn, type SpawnPlan } from "../plan/plan.ts";
import { posixSpawn } from "../posix_spawn/posix_spawn.ts";
import { ChildFds } from "../plan/child_fds.ts";
import { type RunMode, validateOptions } from "../options/validate.ts";

/** A child that is running, with the parent's ends of its pipes. */
export interface Started {
  readonly pid: number;
  readonly plan: SpawnPlan;
  readonly stdio: ChildFds;
  /** `performance.now()` just before the pipes were made: the monotonic clock (epoch times are
   * named `…Epoch`, as in the registry). */
  readonly startedMono: number;
}

/** Starts a child for `options`; throws `CoreError` with nothing half-made left behind. */
export function startChild(options: SpawnOptions, mode: RunMode): Started {
  return startPlanned(planFor(options, mode), "here");
}

/**
 * {@linkcode startChild} with the fork and vfork backends' helper call on a worker thread, so
 * the event loop keeps running while the child starts. Options are checked before it returns:
 * bad input throws at once; only the spawn itself rejects. `slot` is awaited before any fd is
 * made, and what it returns is called once the start settled (it bounds starts in flight).
 */
export function startChildOnThread(
  options: SpawnOptions,
  slot: () => Promise<() => void>,
): Promise<Started> {
  const plan = planFor(options, "async");
  // A death signal fires when the thread that cloned the child exits, and Deno's worker threads
  // exit when idle: such children start from this (the main) thread, which lives as long as we do.
  return slot().then(async (release) => {
    try {
      return await (plan.dieWithParent
        ? startPlanned(plan, "here")
        : startPlanned(plan, "offThread"));
    } finally {
      release();
    }
  });
}

/**
 * The one start: pipes, the backend, and only the parent's ends kept; on any failure every fd it
 * opened is closed. With `"offThread"` the helper call runs on a worker thread and a promise
 * comes back (posix_spawn is always called here: it returns once the child exists).
 */
export function startPlanned(plan: SpawnPlan, where: "here"): Started;
export function startPlanned(plan: SpawnPlan, where: "offThread"): Promise<Started>;
export function startPlanned(
  plan: SpawnPlan,
  where: "here" | "offThread",
): Started | Promise<Started> {
  keepChildrenWaitable();
  const startedMono = performance.now();
  const stdio = ChildFds.open(plan);
  const started = (pid: number): Started => {
    stdio.closeChildEnds();
    return { pid, plan, stdio, startedMono };
  };
  const failed = (e: unknown): never => {
    stdio.closeAll();
    throw e;
  };
  let pid: number | Promise<number>;
  try {
    if (plan.backend === "posixSpawn") pid = posixSpawn(plan, stdio, hostPosixSpawnCaps());
    else if (where === "here") pid = helperSpawn(plan, stdio, hostPlatform());
    else pid = helperSpawn(plan, stdio, hostPlatform(), "offThread");
  } catch (e) {
    return failed(e);
  }
  if (typeof pid !== "number") return pid.then(started, failed);
  return where === "here" ? started(pid) : Promise.resolve(started(pid));
}

/**
 * Undoes a start whose supervision could not begin: SIGKILL (to the group it leads, if any),
 * a blocking reap, and every parent fd closed. The one way a half-started child is dropped.
 */
export function abandon(started: Started): void {
  try {
    killStarted(started.pid, childGroup(started.plan.pgroup, started.pid), false);
    reap(started.pid, true);
  } finally {
    started.stdio.closeAll();
  }
}

/** Options → plan: validated, backend chosen, program resolved; nothing is opened yet. */
export function planFor(options: SpawnOptions, mode: RunMode): SpawnPlan {
  const valid = validateOptions(options, mode);
  const needsChildCode = valid.confine !== null || valid.dieWithParent || valid.uid !== null ||
    valid.gid !== null;
  return planSpawn(valid, chooseBackend(valid.backend, needsChildCode), hostPosixSpawnCaps());
}
