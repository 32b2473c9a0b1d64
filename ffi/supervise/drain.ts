/**
 * Moving bytes through the pipes: capture of stdout/stderr into growable buffers under one
 * shared byte budget, and feeding stdin. Reads go straight into the kept chunks; past the budget
 * they go to a scratch buffer and are counted, not kept.
 * @module
 */
import { CaptureChunks, type Room } from "./capture_chunks.ts";
import { growPipe, readSome, writeSome } from "../os/fds.ts";

/** Bytes read or written per syscall: the default pipe size. */
export const CHUNK = 64 * 1024;

/** The pipe size asked for once a pipe is seen full: a large output then needs few wake-ups. */
export const GROWN_PIPE_BYTES = 1024 * 1024;

let scratch = new Uint8Array(CHUNK);

/**
 * How much to read from one child pipe per call: its default size, until a read fills it. A
 * full pipe means a large output, so the pipe is grown once (see growPipe) and read whole from
 * then on: the child runs ahead of us by up to 1 MiB and a large output needs few wake-ups.
 */
export class PipeReadSize {
  #bytes = CHUNK;
  #grown = false;

  /** Bytes to ask for: never more than the pipe can hold. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Notes a read of `n` bytes from `fd`, growing the pipe after the first full one. */
  afterRead(fd: number, n: number): void {
    if (n < CHUNK || this.#grown) return;
    this.#grown = true;
    if (growPipe(fd, GROWN_PIPE_BYTES)) this.#bytes = GROWN_PIPE_BYTES;
  }
}

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

/**
 * One captured stream, for the sync and the async driver alike: a reader asks where to read
 * (`target`: straight into the kept chunks, see CaptureChunks, or null past the budget: the lent
 * scratch buffer) and hands back what it read (`add`). Past the budget bytes are counted as
 * dropped and never copied.
 */
export class Capture {
  readonly #kept = new CaptureChunks(scratchOf);
  readonly #budget: OutputBudget;
  /** The room handed out by the last `target` call, until its chunk comes back to `add`. */
  #room: Room | null = null;

  /** @param budget shared with the other stream of the same child */
  constructor(budget: OutputBudget) {
    this.#budget = budget;
  }

  /** Where the reader should read up to `want` bytes; null past the budget (lent buffer). */
  target(want: number): Uint8Array | null {
    const keep = Math.min(want, this.#budget.remaining);
    if (keep <= 0) return this.#room = null;
    this.#room = this.#kept.room(keep, this.#budget.remaining);
    return this.#room.target;
  }

  /**
   * Takes a chunk the reader produced: read into our last `target` (kept in place), or lent
   * (copied as far as the budget allows, the rest counted as dropped). Returns the kept bytes
   * when they were read in place (ours to hand out), else null: the caller copies what it
   * needs from `chunk`, and nothing is copied for a caller that needs nothing.
   */
  add(chunk: Uint8Array): Uint8Array | null {
    const room = this.#room;
    this.#room = null;
    if (
      room && chunk.buffer === room.target.buffer && chunk.byteOffset === room.target.byteOffset
    ) {
      this.#budget.remaining -= chunk.length;
      return this.#kept.commit(room, chunk.length);
    }
    const keep = Math.min(chunk.length, this.#budget.remaining);
    if (keep > 0) this.#kept.append(chunk.subarray(0, keep));
    this.#budget.remaining -= keep;
    this.#budget.dropped += chunk.length - keep;
    return null;
  }

  /** Everything kept, as one array. */
  bytes(): Uint8Array {
    return this.#kept.bytes();
  }
}

/** One read into a capture: the bytes read, `kept` when they are the capture's own. */
export type CaptureRead = { readonly chunk: Uint8Array; readonly kept: Uint8Array | null };

/**
 * Reads once from non-blocking `fd` into `capture` (the sync driver's read; the async one is
 * PipeReader's, through the same `target`/`add`). Returns 0 at EOF and `"again"` when the pipe
 * is empty. A lent `chunk` is valid until the next read. A read that fills the pipe grows it
 * once (see PipeReadSize).
 */
export function readInto(
  fd: number,
  capture: Capture,
  size: PipeReadSize,
): CaptureRead | 0 | "again" {
  const want = size.bytes;
  const target = capture.target(want) ?? scratchOf(want);
  const n = readSome(fd, target, "read child output");
  if (n === "again" || n === 0) return n;
  size.afterRead(fd, n);
  const chunk = target.subarray(0, n);
  return { chunk, kept: capture.add(chunk) };
}

/**
 * The first `size` bytes of a scratch buffer shared by every reader on this thread: valid
 * until the next read, so whoever keeps bytes from it copies them first.
 */
export function scratchOf(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(size);
  return scratch.subarray(0, size);
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

  /** The last byte to be written, or null when there is none. */
  get lastByte(): number | null {
    return this.#data.length > 0 ? this.#data[this.#data.length - 1] : null;
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
