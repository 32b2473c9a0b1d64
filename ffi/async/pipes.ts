/**
 * The parent's ends of a child's pipes, serviced from the fd poller: reads and writes are plain
 * FFI calls on non-blocking fds, made when the poller says the pipe is ready.
 * @module
 */
import { type CoreError, sysError } from "../os/errors.ts";
import { CHUNK, PipeReadSize, scratchOf } from "../supervise/drain.ts";
import { closeFd, readSome, writeSome } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import { ALWAYS_REF, type RefScope, unwatch, watch } from "./fd_poller.ts";

/** What a {@linkcode PipeReader} reports. `end` comes exactly once, after the last `data`. */
export interface PipeReaderEvents {
  /**
   * A chunk, lent for the duration of the call: the next read writes over it, so copy what
   * you keep. (Handing out copies made garbage of every byte past a capture's cap: see the
   * bench case "output" in docs/performance.md.)
   */
  data(chunk: Uint8Array): void;
  end(error?: CoreError): void;
  /**
   * Optional: where the next read of up to `want` bytes should land, so a capture is read into
   * directly instead of copied from the lent buffer; null for the lent buffer. The chunk then
   * given to `data` is the filled start of what this returned.
   */
  target?(want: number): Uint8Array | null;
}

/** The read end of a child's stdout or stderr. */
export class PipeReader {
  #fd: number;
  readonly #events: PipeReaderEvents;
  readonly #op: string;
  #token = -1;
  readonly #readSize = new PipeReadSize();
  readonly #scope: RefScope;

  /** Takes ownership of non-blocking `fd` and starts reading it (alive while `scope` is ref'd). */
  constructor(fd: number, events: PipeReaderEvents, op: string, scope: RefScope = ALWAYS_REF) {
    this.#fd = fd;
    this.#events = events;
    this.#op = op;
    this.#scope = scope;
    this.resume();
  }

  /** Whether EOF, an error or a close has not happened yet. */
  get open(): boolean {
    return this.#fd >= 0;
  }

  /** Stops reading: the pipe fills and the child blocks in write (backpressure). */
  pause(): void {
    if (this.#token < 0) return;
    unwatch(this.#fd, this.#token);
    this.#token = -1;
  }

  /** Reads again after {@linkcode pause}. */
  resume(): void {
    if (this.#fd >= 0 && this.#token < 0) {
      this.#token = watch(this.#fd, "read", () => this.#readAvailable(), this.#scope);
    }
  }

  /**
   * Delivers what the pipe holds right now, without waiting for EOF, then closes. Used after a
   * kill: grandchildren may keep the write end open for as long as they live.
   */
  drainAndClose(): void {
    this.#readAvailable(true);
    this.close();
  }

  /**
   * Reads what the pipe holds now, and sees EOF if every writer is gone, without waiting for
   * the poller. Called when the child is reaped: its output is usually complete by then.
   */
  readNow(): void {
    if (this.#token >= 0) this.#readAvailable();
  }

  /** Closes the pipe and drops anything unread. */
  close(error?: CoreError): void {
    if (this.#fd < 0) return;
    if (this.#token >= 0) unwatch(this.#fd, this.#token, true);
    this.#token = -1;
    closeFd(this.#fd);
    this.#fd = -1;
    this.#events.end(error);
  }

  /** Reads until the pipe is empty, at EOF, closed by a handler, or (unless `all`) paused. */
  #readAvailable(all = false): void {
    while (this.#fd >= 0) {
      const want = this.#readSize.bytes;
      const target = this.#events.target?.(want) ?? scratchOf(want);
      let n: number | "again";
      try {
        n = readSome(this.#fd, target, this.#op);
      } catch (e) {
        return this.close(e as CoreError);
      }
      if (n === "again") return;
      if (n === 0) return this.close();
      this.#readSize.afterRead(this.#fd, n); // before data: a handler may close the fd
      this.#events.data(target.subarray(0, n));
      if (n < target.length) return; // a short read: the pipe is empty for now
      if (this.#token < 0 && !all) return; // paused by the data handler
    }
  }
}

interface PendingWrite {
  readonly chunk: Uint8Array;
  offset: number;
  readonly resolve: () => void;
  readonly reject: (e: CoreError) => void;
}

/**
 * The write end of a child's stdin. For a pty, `endOfInput` gives the bytes that end input
 * before the fd closes (closing a copy of the master tells the child nothing), from the last
 * byte written or queued (null: none).
 */
export class PipeWriter {
  #fd: number;
  readonly #op: string;
  readonly #queue: PendingWrite[] = [];
  #token = -1;
  #ending: (() => void) | null = null;
  readonly #endOfInput: ((lastByte: number | null) => Uint8Array) | null;
  #lastByte: number | null = null;
  readonly #scope: RefScope;

  /** Takes ownership of non-blocking `fd` (a pending write keeps Deno alive while `scope` is ref'd). */
  constructor(
    fd: number,
    op: string,
    endOfInput: ((lastByte: number | null) => Uint8Array) | null = null,
    scope: RefScope = ALWAYS_REF,
  ) {
    this.#fd = fd;
    this.#op = op;
    this.#endOfInput = endOfInput;
    this.#scope = scope;
  }

  /** Whether the pipe has not been closed yet. */
  get open(): boolean {
    return this.#fd >= 0;
  }

  /** Writes `chunk`; resolves once the kernel took all of it, so awaiting it is backpressure. */
  write(chunk: Uint8Array): Promise<void> {
    if (this.#fd < 0 || this.#ending) return Promise.reject(closedError(this.#op));
    if (chunk.length > 0) this.#lastByte = chunk[chunk.length - 1];
    return new Promise((resolve, reject) => {
      this.#queue.push({ chunk, offset: 0, resolve, reject });
      if (this.#queue.length === 1) this.#flush();
    });
  }

  /** Writes what is queued (and a pty's end of input), then closes: the child reads EOF. */
  end(): Promise<void> {
    if (this.#fd < 0) return Promise.resolve();
    if (this.#endOfInput && !this.#ending) {
      this.write(this.#endOfInput(this.#lastByte)).catch(() => {}); // a gone child needs none
    }
    if (this.#queue.length === 0) {
      this.close();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#ending = resolve);
  }

  /** Closes at once; queued writes reject with EPIPE. */
  close(error: CoreError = closedError(this.#op)): void {
    if (this.#fd < 0) return;
    if (this.#token >= 0) unwatch(this.#fd, this.#token, true);
    this.#token = -1;
    closeFd(this.#fd);
    this.#fd = -1;
    for (const pending of this.#queue.splice(0)) pending.reject(error);
    this.#ending?.();
  }

  /** Writes queued chunks until done or the pipe is full (then waits for it to drain). */
  #flush(): void {
    while (this.#queue.length > 0 && this.#fd >= 0) {
      const head = this.#queue[0];
      let n: number | "again" | "closed";
      try {
        n = writeSome(this.#fd, head.chunk.subarray(head.offset, head.offset + CHUNK), this.#op);
      } catch (e) {
        return this.close(e as CoreError);
      }
      if (n === "again") {
        if (this.#token < 0) {
          this.#token = watch(this.#fd, "write", () => this.#flush(), this.#scope);
        }
        return;
      }
      if (n === "closed") { // the child closed its stdin
        return this.close(sysError(this.#op, libc().abi.kernel.common.errno.EPIPE));
      }
      head.offset += n;
      if (head.offset < head.chunk.length) continue;
      this.#queue.shift();
      head.resolve();
    }
    if (this.#token >= 0) {
      unwatch(this.#fd, this.#token);
      this.#token = -1;
    }
    if (this.#ending && this.#queue.length === 0) this.close();
  }
}

function closedError(op: string): CoreError {
  const { EPIPE } = libc().abi.kernel.common.errno;
  return sysError(op, EPIPE, "the pipe is closed (the child exited or stdin was closed)");
}
