/**
 * Moving bytes through the pipes: capture of stdout/stderr into growable buffers under one
 * shared byte budget, and feeding stdin. Reads go straight into the capture buffer (no copy per
 * chunk); past the budget they go to a scratch buffer and are counted, not kept.
 * @module
 */
import { readSome, writeSome } from "./fds.ts";

/** Bytes read or written per syscall. */
export const CHUNK = 64 * 1024;

const scratch = new Uint8Array(CHUNK);
const EMPTY = new Uint8Array(0);

/** The `maxOutput` budget shared by stdout and stderr. */
export class OutputBudget {
  /** Bytes that may still be kept. */
  remaining: number;
  /** Bytes read and dropped after the budget ran out. */
  dropped = 0;
  /** @param limit the cap on kept bytes */
  constructor(limit: number) {
    this.remaining = limit;
  }
  /** Whether any byte had to be dropped. */
  get overflowed(): boolean {
    return this.dropped > 0;
  }
}

/** Result of one read: bytes read (0 = EOF) or `"again"` when the pipe is empty. */
export type ReadResult = { n: number; chunk: Uint8Array } | "again";

/** One captured stream. */
export class StreamCapture {
  #buf = new Uint8Array(0);
  #len = 0;
  readonly #budget: OutputBudget;

  /** @param budget shared with the other stream of the same child */
  constructor(budget: OutputBudget) {
    this.#budget = budget;
  }

  /**
   * Reads once from non-blocking `fd`. Small outputs cost one exact-size allocation: the first
   * read lands in a shared scratch buffer; once bytes are kept, reads go straight into the
   * capture buffer, which doubles as needed. The returned chunk is never written over later;
   * past the budget it is empty unless `wantDropped` (an early-exit callback still sees them):
   * a copy per dropped read would be garbage, 1 GiB of it for a 1 GiB writer.
   */
  readOnce(fd: number, wantDropped = false): ReadResult {
    const want = Math.min(CHUNK, this.#budget.remaining);
    if (want > 0 && this.#len > 0 && this.#buf.length - this.#len < want) {
      const grown = new Uint8Array(Math.max(this.#len + want, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    const direct = want > 0 && this.#len > 0;
    const target = direct
      ? this.#buf.subarray(this.#len, this.#len + want)
      : scratch.subarray(0, Math.max(want, 0) || CHUNK);
    const n = readSome(fd, target, "read child output");
    return n === "again" ? n : this.#accept(n, want, direct, wantDropped);
  }

  /** The captured bytes. */
  bytes(): Uint8Array {
    return this.#len === this.#buf.length ? this.#buf : this.#buf.slice(0, this.#len);
  }

  #accept(
    n: number,
    want: number,
    direct: boolean,
    wantDropped: boolean,
  ): { n: number; chunk: Uint8Array } {
    if (want === 0) {
      this.#budget.dropped += n;
      return { n, chunk: wantDropped ? scratch.slice(0, n) : EMPTY };
    }
    if (!direct && n > 0) this.#buf = scratch.slice(0, n);
    const chunk = this.#buf.subarray(this.#len, this.#len + n);
    this.#len += n;
    this.#budget.remaining -= n;
    return { n, chunk };
  }
}

/** What a stdin write achieved. */
export type FeedResult = "more" | "done" | "again" | "childClosed";

/** Feeds a byte array into the child's stdin in chunks. */
export class StdinFeeder {
  #offset = 0;
  readonly #data: Uint8Array;

  /** @param data everything the child should read */
  constructor(data: Uint8Array) {
    this.#data = data;
  }

  /** Whether every byte has been written. */
  get done(): boolean {
    return this.#offset >= this.#data.length;
  }

  /** Writes one chunk to non-blocking `fd`. EPIPE means the child closed stdin early: not an error. */
  writeOnce(fd: number): FeedResult {
    const end = Math.min(this.#data.length, this.#offset + CHUNK);
    const n = writeSome(fd, this.#data.subarray(this.#offset, end), "write child stdin");
    if (n === "again") return "again";
    if (n === "closed") return "childClosed";
    this.#offset += n;
    return this.done ? "done" : "more";
  }
}
