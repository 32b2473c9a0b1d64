/**
 * A one-shot timer as an fd (`timerfd_create`, CLOCK_MONOTONIC): it turns readable at its
 * deadline with the kernel's precision, where `epoll_wait` and Deno's `setTimeout` only count
 * whole milliseconds and fire late (docs/performance.md, bench case "cancel"). Where libc lacks
 * timerfd, {@linkcode TimerFd.open} returns null and callers keep their millisecond timers.
 * @module
 */
import { sysError } from "./errors.ts";
import { closeFd } from "./fds.ts";
import { libc } from "./libc.ts";

/**
 * The longest delay a timer can hold: the kernel refuses a value of 2^63 ns (KTIME_SEC_MAX
 * seconds) or more with EINVAL. A longer timeout is clamped to this (about 292 years), which is
 * no timeout in practice and never an error.
 */
export const MAX_TIMER_MS = 9_223_372_035_000;

/** A nonblocking, close-on-exec timerfd. Close it with {@linkcode TimerFd.close}. */
export class TimerFd {
  /** The fd to watch for reading. */
  readonly fd: number;
  readonly #spec: Uint8Array<ArrayBuffer>;
  readonly #layout: { readonly valueSecOffset: number; readonly valueNsecOffset: number };
  readonly #spare = new Uint8Array(8);
  #closed = false;

  private constructor(
    fd: number,
    layout: {
      readonly size: number;
      readonly valueSecOffset: number;
      readonly valueNsecOffset: number;
    },
  ) {
    this.fd = fd;
    this.#layout = layout;
    this.#spec = new Uint8Array(layout.size); // it_interval stays zero: one-shot
  }

  /** A new disarmed timer, or null where this libc has no timerfd. */
  static open(): TimerFd | null {
    const c = libc();
    const create = c.symbols.timerfd_create;
    if (!create || !c.symbols.timerfd_settime) return null;
    const t = c.abi.kernel.common.timerfd;
    const fd = create(t.CLOCK_MONOTONIC, t.TFD_CLOEXEC | t.TFD_NONBLOCK);
    if (fd < 0) throw sysError("timerfd_create", c.errno());
    return new TimerFd(fd, t.itimerspec);
  }

  /**
   * Arms the timer to fire `delayMs` from now (at once when ≤ 0, never later than
   * {@linkcode MAX_TIMER_MS}); replaces any earlier arming. A positive delay below the timer's
   * resolution rounds up to it, never down to "disarmed".
   */
  armIn(delayMs: number): void {
    const ms = Math.min(delayMs, MAX_TIMER_MS);
    const ns = Math.max(1, Math.ceil(ms * 1e6)); // 0 would disarm
    const view = new DataView(this.#spec.buffer);
    view.setBigInt64(this.#layout.valueSecOffset, BigInt(Math.floor(ns / 1e9)), true);
    view.setBigInt64(this.#layout.valueNsecOffset, BigInt(ns % 1e9), true);
    const c = libc();
    if (c.symbols.timerfd_settime!(this.fd, 0, this.#spec, null) !== 0) {
      throw sysError("timerfd_settime", c.errno());
    }
  }

  /**
   * Whether the timer really fired: reads its expiration count, which also clears its
   * readiness. False (EAGAIN) when a wake-up reported it ready without an expiry, as a poller
   * does when it wakes every handler; a deadline must never fire on such a report.
   */
  expired(): boolean {
    return Number(libc().symbols.read(this.fd, this.#spare, 8n)) === 8;
  }

  /** Closes the fd (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeFd(this.fd);
  }
}
