/**
 * A pipe fd on Deno's event loop. `net.Socket({ fd })` from `node:net` takes ownership of the fd
 * and reads or writes it when epoll says so: no thread and no timer per pipe, and measured here
 * to add only a few µs per child. (The alternative, one epoll fd of our own, cannot wake the
 * loop without a blocking FFI call parked on a thread.)
 * @module
 */
import { Socket } from "node:net";
import { type CoreError, fromRuntimeError, sysError } from "../errors.ts";
import { CHUNK } from "../drain.ts";
import { libc } from "../libc.ts";

/** What a {@linkcode PipeReader} reports. `end` comes exactly once, after the last `data`. */
export interface PipeReaderEvents {
  data(chunk: Uint8Array): void;
  end(error?: CoreError): void;
}

/** The read end of a child's stdout or stderr. */
export class PipeReader {
  readonly #fd: number;
  readonly #socket: Socket;
  readonly #events: PipeReaderEvents;
  #open = true;

  /** Takes ownership of non-blocking `fd`. */
  constructor(fd: number, events: PipeReaderEvents, op: string) {
    this.#fd = fd;
    this.#events = events;
    this.#socket = new Socket({ fd, readable: true, writable: false });
    this.#socket.on("data", (b: Uint8Array) => {
      if (this.#open) events.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    this.#socket.on("end", () => this.#finish());
    this.#socket.on("error", (e: Error) => this.#finish(fromRuntimeError(op, e)));
  }

  /** Whether EOF, an error or a close has not happened yet. */
  get open(): boolean {
    return this.#open;
  }

  /** Stops reading: the pipe fills and the child blocks in write (backpressure). */
  pause(): void {
    if (this.#open) this.#socket.pause();
  }

  /** Reads again after {@linkcode pause}. */
  resume(): void {
    if (this.#open) this.#socket.resume();
  }

  /**
   * Delivers what the pipe holds right now, without waiting for EOF, then closes. Used after a
   * kill: grandchildren may keep the write end open for as long as they live.
   */
  drainAndClose(): void {
    if (!this.#open) return;
    for (let b = this.#socket.read(); b !== null; b = this.#socket.read()) {
      this.#events.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    }
    const c = libc();
    const { EINTR } = c.abi.kernel.common.errno;
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const n = Number(c.symbols.read(this.#fd, buf, BigInt(buf.length)));
      if (n > 0) this.#events.data(buf.slice(0, n));
      else if (n < 0 && c.errno() === EINTR) continue;
      else break; // EOF, EAGAIN (empty for now) or an error: we are closing either way
    }
    this.#finish();
  }

  /** Closes the pipe and drops anything unread. */
  close(): void {
    this.#finish();
  }

  #finish(error?: CoreError): void {
    if (!this.#open) return;
    this.#open = false;
    this.#socket.destroy();
    this.#events.end(error);
  }
}

/** The write end of a child's stdin. */
export class PipeWriter {
  readonly #socket: Socket;
  readonly #op: string;
  #open = true;

  /** Takes ownership of non-blocking `fd`. */
  constructor(fd: number, op: string) {
    this.#op = op;
    this.#socket = new Socket({ fd, readable: false, writable: true });
    this.#socket.on("error", () => {}); // reported through the write and end callbacks
  }

  /** Whether the pipe has not been closed yet. */
  get open(): boolean {
    return this.#open;
  }

  /** Writes `chunk`; resolves once the kernel took it, so awaiting it is backpressure. */
  write(chunk: Uint8Array): Promise<void> {
    if (!this.#open) return Promise.reject(closedError(this.#op));
    return new Promise((resolve, reject) => {
      this.#socket.write(
        chunk,
        (e?: Error | null) => e ? reject(fromRuntimeError(this.#op, e)) : resolve(),
      );
    });
  }

  /** Flushes what is queued, then closes: the child reads EOF. */
  end(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#socket.end(() => {
        this.close();
        resolve();
      });
      this.#socket.once("error", (e: Error) => {
        this.close();
        reject(fromRuntimeError(this.#op, e));
      });
    });
  }

  /** Closes at once, dropping anything still queued. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#socket.destroy();
  }
}

function closedError(op: string): CoreError {
  const { EPIPE } = libc().abi.kernel.common.errno;
  return sysError(op, EPIPE, "the pipe is closed (the child exited or stdin was closed)");
}
