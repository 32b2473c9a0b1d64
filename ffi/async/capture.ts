/**
 * Capture for async children: copies of the chunks the pipe reader lends, kept under the `maxOutput`
 * budget shared by stdout and stderr, joined once at the end.
 * @module
 */
import type { OutputBudget } from "../drain.ts";
import { concat } from "./streams.ts";

/** One captured stream of an async child. */
export class ChunkCapture {
  readonly #chunks: Uint8Array[] = [];
  readonly #budget: OutputBudget;

  /** @param budget shared with the other stream of the same child */
  constructor(budget: OutputBudget) {
    this.#budget = budget;
  }

  /**
   * Copies as much of the lent `chunk` as the budget allows and counts the rest as dropped.
   * Returns the copy when all of `chunk` was kept, else null (past the cap nothing is copied).
   */
  add(chunk: Uint8Array): Uint8Array | null {
    const keep = Math.min(chunk.length, this.#budget.remaining);
    const kept = keep > 0 ? chunk.slice(0, keep) : null;
    if (kept) this.#chunks.push(kept);
    this.#budget.remaining -= keep;
    this.#budget.dropped += chunk.length - keep;
    return keep === chunk.length ? kept : null;
  }

  /** Everything kept, as one array. */
  bytes(): Uint8Array {
    return concat(this.#chunks);
  }
}
