/**
 * A byte ring with a fixed capacity that keeps the newest bytes and counts what it dropped:
 * the output of a long-running child stays readable without growing without bound.
 * @module
 */

/** Keeps the last `capacity` bytes pushed into it. */
export class RingBuffer {
  /** Bytes kept at most. */
  readonly capacity: number;
  /** Grows by doubling up to `capacity`, so quiet children cost little. */
  #buf: Uint8Array;
  /** Index of the oldest byte once the ring is full; the write position is `#start + #size`. */
  #start = 0;
  #size = 0;
  #dropped = 0;

  /**
   * Creates an empty ring.
   * @param capacity bytes kept at most
   */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#buf = new Uint8Array(Math.min(capacity, 4096));
  }

  /** Bytes dropped so far to make room. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes held now. */
  get size(): number {
    return this.#size;
  }

  /** Appends `chunk`, dropping the oldest bytes past the capacity. */
  push(chunk: Uint8Array): void {
    if (chunk.length >= this.capacity) {
      this.#dropped += this.#size + chunk.length - this.capacity;
      this.#grow(this.capacity);
      this.#buf.set(chunk.subarray(chunk.length - this.capacity));
      this.#start = 0;
      this.#size = this.capacity;
      return;
    }
    if (this.#size + chunk.length > this.#buf.length) {
      this.#grow(
        Math.min(this.capacity, Math.max(this.#buf.length * 2, this.#size + chunk.length)),
      );
    }
    const overflow = Math.max(0, this.#size + chunk.length - this.capacity);
    this.#start = (this.#start + overflow) % this.#buf.length;
    this.#size -= overflow;
    this.#dropped += overflow;
    const end = (this.#start + this.#size) % this.#buf.length;
    const first = Math.min(chunk.length, this.#buf.length - end);
    this.#buf.set(chunk.subarray(0, first), end);
    this.#buf.set(chunk.subarray(first), 0);
    this.#size += chunk.length;
  }

  /** The bytes held, oldest first, as a copy. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#size);
    const first = Math.min(this.#size, this.#buf.length - this.#start);
    out.set(this.#buf.subarray(this.#start, this.#start + first));
    out.set(this.#buf.subarray(0, this.#size - first), first);
    return out;
  }

  /** Re-lays the held bytes at the start of a buffer of `length` bytes. */
  #grow(length: number): void {
    if (length === this.#buf.length && this.#start === 0) return;
    const held = this.bytes();
    this.#buf = new Uint8Array(length);
    this.#buf.set(held);
    this.#start = 0;
  }
}
