/**
 * Capture for async children: the pipe reader reads straight into the kept chunks (see
 * CaptureChunks) under the `maxOutput` budget shared by stdout and stderr; past the budget it
 * reads into its lent buffer and the bytes are counted, never copied.
 * @module
 */
import { CaptureChunks, type Room } from "../capture_chunks.ts";
import { type OutputBudget, scratchOf } from "../drain.ts";

/** One captured stream of an async child. */
export class ChunkCapture {
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
