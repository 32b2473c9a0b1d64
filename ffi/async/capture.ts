/**
 * Capture for async children: chunks as the socket delivers them, kept under the `maxOutput`
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

  /** Keeps as much of `chunk` as the budget allows and counts the rest as dropped. */
  add(chunk: Uint8Array): void {
    const keep = Math.min(chunk.length, this.#budget.remaining);
    if (keep > 0) this.#chunks.push(keep === chunk.length ? chunk : chunk.subarray(0, keep));
    this.#budget.remaining -= keep;
    this.#budget.dropped += chunk.length - keep;
  }

  /** Everything kept, as one array. */
  bytes(): Uint8Array {
    return concat(this.#chunks);
  }
}
