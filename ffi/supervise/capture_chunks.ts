/**
 * The bytes kept from one output stream, read straight into chunks that grow geometrically
 * and joined once at the end: every kept byte is copied once by the kernel and at most once
 * more by us. (A single doubling buffer copied each byte up to three times: on every
 * doubling, on a speculative doubling before the read that saw EOF, and trimming it at the
 * end.)
 *
 * A read that might start a new chunk goes to scratch first, and the chunk is allocated only
 * once the read brought bytes: the read that sees EOF never allocates, and an output that
 * ends exactly at a chunk's end is returned as that chunk, with no copy at all. Fresh memory
 * costs page faults and zeroing, so allocations are what a capture costs (docs/performance.md,
 * bench case "async").
 * @module
 */
import { concatBytes } from "../os/bytes.ts";
/** A region to read into, from {@linkcode CaptureChunks.room}. */
export interface Room {
  /** Where the next read should land. */
  readonly target: Uint8Array;
  /** Whether `target` is borrowed scratch space, copied out on commit. */
  readonly scratch: boolean;
  /** The most bytes a chunk allocated on commit may hold (what may still be kept). */
  readonly atMost: number;
}

/** Largest chunk allocated ahead of the data it will hold. */
const MAX_CHUNK = 8 * 1024 * 1024;
/**
 * The first chunk's size when the first read filled its room: the output is large, and the
 * pipe reader is about to grow the pipe to this size, so the next reads bring up to as much.
 */
const LARGE_FIRST_CHUNK = 1024 * 1024;
/** The tail before the first read: never written (it has no room), so it can be shared. */
const NO_TAIL = new Uint8Array(0);

/** Kept bytes of one stream. */
export class CaptureChunks {
  readonly #full: Uint8Array[] = [];
  #tail = NO_TAIL;
  #tailLength = 0;
  #total = 0;
  readonly #scratch: (size: number) => Uint8Array;

  /**
   * @param scratch lends `size` bytes for a read that may start a chunk (so small outputs cost
   *   one exact allocation, and the EOF read none)
   */
  constructor(scratch: (size: number) => Uint8Array) {
    this.#scratch = scratch;
  }

  /** Bytes kept so far. */
  get length(): number {
    return this.#total;
  }

  /**
   * Where to read up to `want` bytes (> 0): the free end of the last chunk, or scratch when
   * there is none (first read, or the last chunk is full). `atMost` caps the chunk a scratch
   * read may start: the bytes that may still be kept.
   */
  room(want: number, atMost = Infinity): Room {
    const free = this.#tail.length - this.#tailLength;
    if (free === 0) return { target: this.#scratch(want), scratch: true, atMost };
    const end = this.#tailLength + Math.min(free, want);
    return { target: this.#tail.subarray(this.#tailLength, end), scratch: false, atMost };
  }

  /** Records that the read into `room` produced `n` bytes; returns them (owned by us). */
  commit(room: Room, n: number): Uint8Array {
    if (n === 0) return room.target.subarray(0, 0);
    if (room.scratch) {
      this.#startChunk(this.#nextChunkSize(n, n === room.target.length, room.atMost));
    }
    const start = this.#tailLength;
    const kept = this.#tail.subarray(start, start + n);
    if (room.scratch) kept.set(room.target.subarray(0, n));
    this.#tailLength += n;
    this.#total += n;
    return kept;
  }

  /** Copies `bytes` in (for chunks that were not read through {@linkcode room}). */
  append(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const room = this.room(bytes.length - offset);
      const part = room.target.subarray(0, bytes.length - offset);
      part.set(bytes.subarray(offset, offset + part.length));
      this.commit(room, part.length);
      offset += part.length;
    }
  }

  /** Everything kept, as one exact-length array (no copy when it is a single full chunk). */
  bytes(): Uint8Array {
    this.#retireTail();
    if (this.#full.length === 1) {
      const only = this.#full[0];
      return only.byteLength === only.buffer.byteLength ? only : only.slice();
    }
    return concatBytes(this.#full);
  }

  /**
   * A chunk for `n` bytes just read: the first one exact after a short read (a small output,
   * likely complete), large after a full one; later ones as large as everything kept so far.
   */
  #nextChunkSize(n: number, filledRoom: boolean, atMost: number): number {
    const ahead = this.#total === 0 ? (filledRoom ? LARGE_FIRST_CHUNK : n) : this.#total;
    return Math.max(n, Math.min(ahead, MAX_CHUNK, atMost));
  }

  #startChunk(size: number): void {
    this.#retireTail();
    this.#tail = new Uint8Array(size);
  }

  #retireTail(): void {
    if (this.#tailLength > 0) this.#full.push(this.#tail.subarray(0, this.#tailLength));
    this.#tail = NO_TAIL;
    this.#tailLength = 0;
  }
}
