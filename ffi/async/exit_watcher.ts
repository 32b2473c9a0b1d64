/**
 * Async exits for our own children, never `waitpid(-1)` (which would steal the children of
 * `Deno.Command` running in the same process). Two sources, chosen per child:
 *
 * - a pidfd, where the syscall gate allows `pidfd_open` (Linux 5.3+, Android API 30+): it joins
 *   the fd poller's epoll set and becomes readable when that child exits, so each exit costs
 *   one `wait4` for exactly that pid;
 * - otherwise `SIGCHLD`: on each signal, `wait4(pid, WNOHANG)` for every pid waiting this way.
 *   Signals merge, so every pid must be tried; with many children that is many calls, which is
 *   why pidfds come first.
 *
 * Either way the child is watched after it started and then checked once: an exit before the
 * watch began is seen by that check, an exit after it by the pidfd or the signal. The SIGCHLD
 * listener exists only while some pid waits on it; Deno's signal listeners do not keep the event
 * loop alive, so a parked timer (never firing: no polling) does meanwhile.
 * @module
 */
import { cloexecPipe, closeFd } from "../os/fds.ts";
import { hostPlatform } from "../platform/platform.ts";
import { openPidfd, reap, type Reaped } from "../platform/process_control.ts";
import { ALWAYS_REF, type RefScope, unwatch, watch } from "./fd_poller.ts";

type Settle = { resolve: (reaped: Reaped) => void; reject: (error: unknown) => void };

const waitingOnSignal = new Map<number, Settle>();
/** The ref scope of each pid waiting on SIGCHLD: the parked timer is ref'd while one is. */
const signalScopes = new Map<number, RefScope>();
const pidfdWatches = new Map<
  number,
  { readonly pidfd: number; readonly token: number; readonly settle: Settle }
>();
let listening = false;
let sigchldOnly = false;
/** Keeps the event loop alive while we wait for a SIGCHLD; re-parked if it ever fires. */
let keepAlive: ReturnType<typeof setTimeout> | undefined;
const PARK_MS = 2 ** 31 - 1;

function park(): void {
  keepAlive = setTimeout(park, PARK_MS);
  exitRefsChanged();
}

/** A ref scope changed: the SIGCHLD path's parked timer keeps Deno alive only for ref'd pids. */
export function exitRefsChanged(): void {
  if (keepAlive === undefined) return;
  let ref = false;
  for (const pid of waitingOnSignal.keys()) ref ||= signalScopes.get(pid)?.ref ?? true;
  if (ref) Deno.refTimer(keepAlive);
  else Deno.unrefTimer(keepAlive);
}

function forgetSignalWait(pid: number): boolean {
  signalScopes.delete(pid);
  return waitingOnSignal.delete(pid);
}

/** `wait4(pid, WNOHANG)`: true once the child is reaped and its promise settled. */
function tryReap(pid: number, settle: Settle): boolean {
  let reaped: Reaped | null;
  try {
    reaped = reap(pid, false);
  } catch (e) {
    settle.reject(e);
    return true;
  }
  if (reaped) settle.resolve(reaped);
  return reaped !== null;
}

function onSigchld(): void {
  for (const [pid, settle] of waitingOnSignal) {
    if (tryReap(pid, settle)) forgetSignalWait(pid);
  }
  updateListener();
}

function updateListener(): void {
  const wanted = waitingOnSignal.size > 0;
  if (wanted === listening) return;
  if (wanted) {
    assertFdsForListener();
    Deno.addSignalListener("SIGCHLD", onSigchld);
    park();
  } else {
    Deno.removeSignalListener("SIGCHLD", onSigchld);
    clearTimeout(keepAlive);
  }
  listening = wanted;
}

function watchWithPidfd(pid: number, pidfd: number, settle: Settle, scope: RefScope): void {
  const token = watch(pidfd, "read", () => {
    if (!tryReap(pid, settle)) return;
    pidfdWatches.delete(pid);
    unwatch(pidfd, token, true);
    closeFd(pidfd);
  }, scope);
  pidfdWatches.set(pid, { pidfd, token, settle });
}

/**
 * Deno makes a socket pair for a new signal listener and aborts the whole process when it
 * cannot: check that two fds can be had first, so that EMFILE is our typed error instead.
 */
function assertFdsForListener(): void {
  const [r, w] = cloexecPipe("listen for SIGCHLD");
  closeFd(r);
  closeFd(w);
}

function watchWithSignal(pid: number, settle: Settle, scope: RefScope): void {
  waitingOnSignal.set(pid, settle);
  signalScopes.set(pid, scope);
  try {
    updateListener();
  } catch (e) {
    forgetSignalWait(pid);
    throw e;
  }
  if (tryReap(pid, settle)) { // it may have exited before the listener was there
    forgetSignalWait(pid);
    updateListener();
  }
}

/**
 * Watches our child `pid` (started, not yet reaped) and returns a promise of its reaping; the
 * wait keeps Deno's event loop alive while `scope` is ref'd.
 */
export function watchExit(pid: number, scope: RefScope = ALWAYS_REF): Promise<Reaped> {
  let settle!: Settle;
  const exit = new Promise<Reaped>((resolve, reject) => settle = { resolve, reject });
  const pidfd = sigchldOnly ? -1 : openPidfd(pid, hostPlatform());
  if (pidfd < 0) watchWithSignal(pid, settle, scope);
  else {
    try {
      watchWithPidfd(pid, pidfd, settle, scope);
    } catch (e) {
      closeFd(pidfd);
      throw e;
    }
  }
  return exit;
}

/**
 * Stops watching `pid` without reaping it, for a start that failed after the watch began: the
 * caller reaps it itself. Its promise never settles.
 */
export function unwatchExit(pid: number): void {
  if (forgetSignalWait(pid)) return updateListener();
  const pidfdWatch = pidfdWatches.get(pid);
  if (!pidfdWatch) return;
  pidfdWatches.delete(pid);
  unwatch(pidfdWatch.pidfd, pidfdWatch.token, true);
  closeFd(pidfdWatch.pidfd);
}

/**
 * Reaps watched `pid` now if it has exited, settling its promise as the watcher would have;
 * null while it runs. For a caller that cannot wait for the next wake-up (a try-wait).
 */
export function reapNow(pid: number): Reaped | null {
  const settle = waitingOnSignal.get(pid) ?? pidfdWatches.get(pid)?.settle;
  if (!settle) return null;
  let reaped: Reaped | null;
  try {
    reaped = reap(pid, false);
  } catch (e) {
    unwatchExit(pid);
    settle.reject(e);
    throw e;
  }
  if (!reaped) return null;
  unwatchExit(pid);
  settle.resolve(reaped);
  return reaped;
}

/**
 * Uses SIGCHLD even where pidfds are allowed: for tests of that path, and for kernels whose
 * pidfds misbehave. Affects children started afterwards.
 */
export function useSigchldOnly(on: boolean): void {
  sigchldOnly = on;
}

/** How many children are being waited on (for tests and diagnostics). */
export function watchedCount(): number {
  return waitingOnSignal.size + pidfdWatches.size;
}
