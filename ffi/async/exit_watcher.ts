/**
 * Async exits for our own children: one `SIGCHLD` listener, and on each signal a
 * `wait4(pid, WNOHANG)` for every pid we are waiting on. Never `waitpid(-1)`, which would steal
 * the children of `Deno.Command` running in the same process.
 *
 * Why not pidfds: a pidfd cannot join Deno's event loop (it is not a socket), and Android before
 * API 30 kills the process that asks for one. SIGCHLD works everywhere and wakes the loop at once.
 *
 * The listener is added before a child is started (so its SIGCHLD cannot be missed) and removed
 * when nobody is waiting, so an idle program has no pending op and its event loop can end.
 * Deno's signal listeners do not keep the event loop alive, so while children run a parked
 * timer does (it never fires in practice: no polling).
 * @module
 */
import { reap, type Reaped } from "../process_control.ts";

type Settle = { resolve: (reaped: Reaped) => void; reject: (error: unknown) => void };

const waiting = new Map<number, Settle>();
/** Spawns under way whose pid is not known yet: they need the listener too. */
let starting = 0;
let listening = false;
/** Keeps the event loop alive while we wait for a SIGCHLD; re-parked if it ever fires. */
let keepAlive: ReturnType<typeof setTimeout> | undefined;
const PARK_MS = 2 ** 31 - 1;

function park(): void {
  keepAlive = setTimeout(park, PARK_MS);
}

function onSigchld(): void {
  for (const [pid, settle] of waiting) check(pid, settle);
  updateListener();
}

/** Reaps `pid` if it has exited and settles its promise. */
function check(pid: number, settle: Settle): void {
  let reaped: Reaped | null;
  try {
    reaped = reap(pid, false);
  } catch (e) {
    waiting.delete(pid);
    settle.reject(e);
    return;
  }
  if (!reaped) return;
  waiting.delete(pid);
  settle.resolve(reaped);
}

function updateListener(): void {
  const wanted = waiting.size > 0 || starting > 0;
  if (wanted === listening) return;
  if (wanted) {
    Deno.addSignalListener("SIGCHLD", onSigchld);
    park();
  } else {
    Deno.removeSignalListener("SIGCHLD", onSigchld);
    clearTimeout(keepAlive);
  }
  listening = wanted;
}

/**
 * Runs `start` (which creates a child and returns its pid) with the listener in place, and
 * returns the pid with a promise of its reaping. If `start` throws, nothing is watched.
 */
export function startWatched<T extends { pid: number }>(
  start: () => T,
): { started: T; exit: Promise<Reaped> } {
  starting++;
  updateListener();
  let started: T;
  try {
    started = start();
  } catch (e) {
    starting--;
    updateListener();
    throw e;
  }
  starting--;
  let settle!: Settle;
  const exit = new Promise<Reaped>((resolve, reject) => settle = { resolve, reject });
  waiting.set(started.pid, settle);
  check(started.pid, settle); // it may be gone already, its SIGCHLD merged with an earlier one
  updateListener();
  return { started, exit };
}

/** How many children are being waited on (for tests and diagnostics). */
export function watchedCount(): number {
  return waiting.size;
}
