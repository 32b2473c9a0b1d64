/**
 * The start of every spawn, sync or async: validate, plan, open the pipes, run the backend, and
 * keep only the parent's pipe ends. Whatever fails, nothing is left open.
 * @module
 */
import { hostPlatform } from "../platform.ts";
import { chooseBackend } from "./backend.ts";
import { hostPosixSpawnCaps } from "./capabilities.ts";
import { helperSpawn } from "./helper_spawn.ts";
import type { SpawnOptions } from "./options.ts";
import { planSpawn, type SpawnPlan } from "./plan.ts";
import { posixSpawn } from "./posix_spawn.ts";
import { ChildStdio } from "./stdio.ts";
import { type RunMode, validateOptions } from "./validate.ts";

/** A child that is running, with the parent's ends of its pipes. */
export interface Started {
  readonly pid: number;
  readonly plan: SpawnPlan;
  readonly stdio: ChildStdio;
  /** `performance.now()` just before the pipes were made. */
  readonly startedAt: number;
}

/** Starts a child for `options`; throws `CoreError` with nothing half-made left behind. */
export function startChild(options: SpawnOptions, mode: RunMode): Started {
  const valid = validateOptions(options, mode);
  const caps = hostPosixSpawnCaps();
  const plan = planSpawn(valid, chooseBackend(valid.backend), caps);
  const startedAt = performance.now();
  const stdio = ChildStdio.open(plan);
  let pid: number;
  try {
    pid = plan.backend === "posixSpawn"
      ? posixSpawn(plan, stdio, caps)
      : helperSpawn(plan, stdio.child, hostPlatform());
  } catch (e) {
    stdio.closeAll();
    throw e;
  }
  stdio.closeChildEnds();
  return { pid, plan, stdio, startedAt };
}
