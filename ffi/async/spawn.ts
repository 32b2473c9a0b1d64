/**
 * `spawn`: start a child without blocking and get a {@linkcode Child} handle for it.
 * @module
 */
import { CoreError } from "../errors.ts";
import { libc } from "../libc.ts";
import { sendSignal } from "../process_control.ts";
import type { SpawnOptions } from "../spawn/options.ts";
import { startChild } from "../spawn/start.ts";
import { Child } from "./child.ts";
import { watchExit } from "./exit_watcher.ts";

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
  const started = startChild(options, "async");
  const exit = watchExit(started.pid);
  try {
    return new Child(started, exit);
  } catch (e) {
    sendSignal(started.pid, libc().abi.kernel.common.signals.SIGKILL, false); // the watcher reaps it
    started.stdio.closeAll();
    throw e;
  }
}
