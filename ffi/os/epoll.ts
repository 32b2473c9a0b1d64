/**
 * A synchronous epoll reactor over FFI: register fds with a numeric token, wait, read events.
 * `struct epoll_event` is laid out from the ABI table (packed on x86_64, 16 bytes on aarch64).
 * @module
 */
import { sysError } from "./errors.ts";
import { closeFd } from "./fds.ts";
import { libc } from "./libc.ts";

/** Readiness bits the reactor reports, independent of the kernel's numbering. */
export interface ReadyEvent {
  readonly token: number;
  readonly readable: boolean;
  readonly writable: boolean;
  /** EPOLLERR or EPOLLHUP: the other side is gone (data may still be readable). */
  readonly hangup: boolean;
}

const MAX_EVENTS = 64;

/** One epoll instance. Close it with {@linkcode Epoll.close} (or `using`). */
export class Epoll implements Disposable {
  #fd: number;
  readonly #events: Uint8Array;
  readonly #view: DataView;
  readonly #scratch: Uint8Array;
  readonly #scratchView: DataView;

  /** Creates the epoll fd (close-on-exec). */
  constructor() {
    const c = libc();
    this.#fd = c.symbols.epoll_create1(c.abi.kernel.common.epoll.EPOLL_CLOEXEC);
    if (this.#fd < 0) throw sysError("epoll_create1", c.errno());
    const size = c.abi.kernel.epollEvent.size;
    this.#events = new Uint8Array(size * MAX_EVENTS);
    this.#view = new DataView(this.#events.buffer);
    this.#scratch = new Uint8Array(size);
    this.#scratchView = new DataView(this.#scratch.buffer);
  }

  /** Watches `fd` for reading (or writing) and reports it as `token`. */
  add(fd: number, interest: "read" | "write", token: number): void {
    const c = libc();
    const { epoll } = c.abi.kernel.common;
    const layout = c.abi.kernel.epollEvent;
    const bits = interest === "read" ? epoll.EPOLLIN : epoll.EPOLLOUT;
    this.#scratchView.setUint32(layout.eventsOffset, bits, true);
    this.#scratchView.setBigUint64(layout.dataOffset, BigInt(token), true);
    if (c.symbols.epoll_ctl(this.#fd, epoll.EPOLL_CTL_ADD, fd, this.#scratch) !== 0) {
      throw sysError("epoll_ctl add", c.errno());
    }
  }

  /** Stops watching `fd`. Closing an fd also removes it, so this is only for fds kept open. */
  remove(fd: number): void {
    const c = libc();
    c.symbols.epoll_ctl(this.#fd, c.abi.kernel.common.epoll.EPOLL_CTL_DEL, fd, this.#scratch);
  }

  /** Waits up to `timeoutMs` (-1: forever) and returns the ready events. EINTR → empty list. */
  wait(timeoutMs: number): ReadyEvent[] {
    const c = libc();
    const { errno } = c.abi.kernel.common;
    const n = c.symbols.epoll_wait(this.#fd, this.#events, MAX_EVENTS, timeoutMs);
    if (n < 0) {
      const e = c.errno();
      if (e === errno.EINTR) return [];
      throw sysError("epoll_wait", e);
    }
    return this.#parse(n);
  }

  /**
   * Waits on a worker thread without blocking this one, forever. Resolves with the ready
   * events, or null when the wait failed (EINTR, most likely: errno lives on the worker thread).
   * Do not call {@linkcode Epoll.wait} while this is pending: they share the event buffer.
   */
  async waitOnThread(): Promise<ReadyEvent[] | null> {
    const n = await libc().symbols.epoll_wait_on_thread(this.#fd, this.#events, MAX_EVENTS, -1);
    return n < 0 ? null : this.#parse(n);
  }

  #parse(n: number): ReadyEvent[] {
    const { epoll } = libc().abi.kernel.common;
    const layout = libc().abi.kernel.epollEvent;
    const out: ReadyEvent[] = [];
    for (let i = 0; i < n; i++) {
      const base = i * layout.size;
      const bits = this.#view.getUint32(base + layout.eventsOffset, true);
      out.push({
        token: Number(this.#view.getBigUint64(base + layout.dataOffset, true)),
        readable: (bits & epoll.EPOLLIN) !== 0,
        writable: (bits & epoll.EPOLLOUT) !== 0,
        hangup: (bits & (epoll.EPOLLERR | epoll.EPOLLHUP)) !== 0,
      });
    }
    return out;
  }

  /** Closes the epoll fd. Safe to call twice. */
  close(): void {
    if (this.#fd >= 0) closeFd(this.#fd);
    this.#fd = -1;
  }

  /** Same as {@linkcode Epoll.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
