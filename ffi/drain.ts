/**
 * Moving bytes through the pipes: capture of stdout/stderr into growable buffers under one
 * shared byte budget, and feeding stdin. Reads go straight into the kept chunks; past the budget
 * they go to a scratch buffer and are counted, not kept.
 * @module
 */
import { CaptureChunks } from "./capture_chunks.ts";
import { growPipe, readSome, writeSome } from "./fds.ts";

/** Bytes read or written per syscall: the default pipe size. */
export const CHUNK = 64 * 1024;

/** The pipe size asked for once a pipe is seen full: a large output then needs few wake-ups. */
export const GROWN_PIPE_BYTES = 1024 * 1024;

let scratch = new Uint8Array(CHUNK);
const EMPTY = new Uint8Array(0);

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

/** Result of one read: bytes read (0 = EOF) or `"again"` when the pipe is empty. */
export type ReadResult = { n: number; chunk: Uint8Array } | "again";

/** One captured stream. */
export class StreamCapture {
  readonly #kept = new CaptureChunks(scratchOf);
  readonly #budget: OutputBudget;
  readonly #readSize = new PipeReadSize();

  /** @param budget shared with the other stream of the same child */
  constructor(budget: OutputBudget) {
    this.#budget = budget;
  }

  /**
   * Reads once from non-blocking `fd`, straight into the kept chunks (see CaptureChunks). The
   * returned chunk is never written over later; past the budget it is empty unless
   * `wantDropped` (an early-exit callback still sees them): a copy per dropped read would be
   * garbage, 1 GiB of it for a 1 GiB writer. A read that fills the pipe grows it once (see
   * growPipe), so a large output needs few wake-ups.
   */
  readOnce(fd: number, wantDropped = false): ReadResult {
    const want = Math.min(this.#readSize.bytes, this.#budget.remaining);
    if (want <= 0) return this.#drop(fd, wantDropped);
    const room = this.#kept.room(want, this.#budget.remaining);
    const n = readSome(fd, room.target, "read child output");
    if (n === "again") return n;
    this.#readSize.afterRead(fd, n);
    this.#budget.remaining -= n;
    return { n, chunk: this.#kept.commit(room, n) };
  }

  /** The captured bytes. */
  bytes(): Uint8Array {
    return this.#kept.bytes();
  }

  #drop(fd: number, wantDropped: boolean): ReadResult {
    const target = scratchOf(this.#readSize.bytes);
    const n = readSome(fd, target, "read child output");
    if (n === "again") return n;
    this.#budget.dropped += n;
    return { n, chunk: wantDropped ? target.slice(0, n) : EMPTY };
  }
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
