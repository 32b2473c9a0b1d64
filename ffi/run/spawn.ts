/**
 * `spawn`: start a child without blocking and get a {@linkcode Child} handle for it.
 * @module
 */
import { CoreError } from "../os/errors.ts";
import { reap } from "../platform/process_control.ts";
import { childGroup, type SpawnOptions } from "../options/options.ts";
import { mergeStages } from "../supervise/reaping.ts";
import { killStarted } from "../start/kill_started.ts";
import { abandon, startChild, startChildOnThread, type Started } from "../start/start.ts";
import { Child } from "./child.ts";
import { unwatchExit, watchExit } from "../async/exit_watcher.ts";
import type { RefScope } from "../async/fd_poller.ts";
import { all, then } from "../async/promise_then.ts";

/**
 * Starts a child on Deno's event loop. Every `runSync` option works with the same meaning;
 * in addition `stdin`, `stdout` and `stderr` may be `"piped"` (web streams on the handle) and
 * `signal` cancels the child per `cancel`. Many children can run at once; exits are noticed
 * through a pidfd (or SIGCHLD where pidfds are not allowed) for our own pids only, so
 * `Deno.Command` keeps working beside it.
 *
 * @example Capture output, with a timeout
 * ```ts
 * import { spawn } from "@coreshift/core";
 * const out = await spawn({ program: "sh", args: ["-c", "echo hi"], timeoutMs: 1000 }).output();
 * console.log(new TextDecoder().decode(out.stdout), out.status); // "hi\n" { kind: "exited", code: 0 }
 * ```
 *
 * @example Cancel with an AbortSignal, killing the whole group
 * ```ts
 * import { AbortedError, spawn } from "@coreshift/core";
 * const child = spawn({ program: "sleep", args: ["10"], pgroup: "leader", signal: AbortSignal.timeout(100) });
 * try {
 *   await child.output();
 * } catch (e) {
 *   if (e instanceof AbortedError) console.log(e.output.status); // { kind: "signaled", signal: 9, … }
 * }
 * ```
 *
 * @throws {CoreError} as `runSync` does for bad options and failed spawns (nothing is left
 *   behind), and `Aborted` when `signal` is already aborted (nothing is started).
 */
export function spawn(options: SpawnOptions): Child {
  refuseAborted(options);
  return superviseAsync(startChild(options, "async"));
}

/**
 * Like {@linkcode spawn}, but the start itself runs off this thread: with the fork and vfork
 * backends the helper call (during which a vfork parent is suspended until the child's exec)
 * runs on a Deno worker thread, so the event loop keeps serving other children, and several
 * children can be starting at once. Resolves once the child runs; bad options still throw at
 * once, a failed start (missing program, failed chdir, …) rejects.
 *
 * @example Start many children without blocking the loop
 * ```ts
 * import { spawnOffThread } from "@coreshift/core";
 * const children = await Promise.all(["a", "b"].map((s) => spawnOffThread({ program: "echo", args: [s] })));
 * const outs = await Promise.all(children.map((c) => c.output()));
 * console.log(outs.map((o) => o.success)); // [true, true]
 * ```
 */
export function spawnOffThread(options: SpawnOptions): Promise<Child> {
  refuseAborted(options);
  return startChildOnThread(options, acquireSlot).then(superviseAsync);
}

/**
 * Starts in flight at once on worker threads. Each holds a thread of Deno's blocking pool (which
 * also serves file I/O) and a vfork stack until its child has exec'd; eight overlap the starts of
 * a burst on the 4–8 cores of a phone without taking every worker thread from the rest of the
 * program.
 */
export const MAX_STARTS_IN_FLIGHT = 8;

let freeSlots = MAX_STARTS_IN_FLIGHT;
const waitingForSlot: (() => void)[] = [];

/** Waits for a free start slot; the returned function gives it back. */
async function acquireSlot(): Promise<() => void> {
  if (freeSlots > 0) freeSlots--;
  else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  return () => {
    const next = waitingForSlot.shift();
    if (next) next();
    else freeSlots++;
  };
}

/** Refuses to start anything for an AbortSignal that already fired. */
export function refuseAborted(options: SpawnOptions): void {
  const signal = (options as { signal?: unknown } | null)?.signal;
  if (signal instanceof AbortSignal && signal.aborted) {
    throw new CoreError(
      "Aborted",
      "spawn",
      "the AbortSignal was already aborted; nothing started",
      {
        cause: signal.reason,
      },
    );
  }
}

/**
 * Watches a started child (and, for a pipeline, the stages before it, `others`) and wraps it;
 * the child counts as reaped once every one is. If watching or wrapping fails (out of fds for a
 * pidfd, the poller or a timer), everything is killed and reaped here and every fd closed.
 */
export function superviseAsync(started: Started, others: readonly number[] = []): Child {
  const watched: number[] = [];
  const scope: RefScope = { ref: true }; // the child's: `unref()` clears it for every watch
  try {
    const exits = others.concat(started.pid).map((pid) => {
      const exit = watchExit(pid, scope);
      watched.push(pid);
      return exit;
    });
    const exit = others.length === 0 ? exits[0] : then(all(exits), mergeStages);
    return new Child(started, exit, others.length > 0, scope);
  } catch (e) {
    watched.forEach(unwatchExit);
    if (others.length > 0) {
      killStarted(started.pid, childGroup(started.plan.pgroup, started.pid), true);
      for (const pid of others) reap(pid, true);
    }
    abandon(started);
    throw e;
  }
}
