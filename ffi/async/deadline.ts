/**
 * One-shot deadlines on the event loop, exact to the kernel's timer: a timerfd joins the fd
 * poller's epoll set and its handler runs when the parked wait returns. Deno's `setTimeout` only
 * counts whole milliseconds and fires late, which a timeout's lateness would inherit
 * (docs/performance.md, bench case "cancel"); the timerfd costs four syscalls per deadline. Without timerfd, `setTimeout` it is.
 * @module
 */
import { MAX_TIMER_MS, TimerFd } from "../os/timer_fd.ts";
import { ALWAYS_REF, type RefScope, unwatch, watch } from "./fd_poller.ts";

/** Cancels a deadline that has not fired; does nothing after it fired or was cancelled. */
export type CancelDeadline = () => void;

/**
 * Calls `fire` once, `delayMs` from now, unless cancelled first. It keeps Deno's event loop
 * alive while `scope` is ref'd.
 */
export function afterDelay(
  delayMs: number,
  fire: () => void,
  scope: RefScope = ALWAYS_REF,
): CancelDeadline {
  const timer = TimerFd.open();
  if (!timer) return afterDelayByTimeout(delayMs, fire);
  let pending = true;
  const cancel = () => {
    if (!pending) return;
    pending = false;
    unwatch(timer.fd, token, true);
    timer.close();
  };
  timer.armIn(delayMs);
  const token = watch(timer.fd, "read", () => {
    if (!pending || !timer.expired()) return;
    cancel();
    fire();
  }, scope);
  return cancel;
}

/**
 * The longest `setTimeout` delay: past 2^31 − 1 ms, timers fire at once (the HTML timer rules,
 * which Deno follows).
 */
const MAX_SET_TIMEOUT_MS = 2 ** 31 - 1;

/** {@linkcode afterDelay} with `setTimeout`, in steps a timer can hold. */
function afterDelayByTimeout(delayMs: number, fire: () => void): CancelDeadline {
  let id: ReturnType<typeof setTimeout>;
  const arm = (ms: number) => {
    const step = Math.min(ms, MAX_SET_TIMEOUT_MS);
    id = setTimeout(() => step < ms ? arm(ms - step) : fire(), Math.max(0, step));
  };
  arm(Math.min(delayMs, MAX_TIMER_MS));
  return () => clearTimeout(id);
}
