/**
 * RingBuffer: the registry's output ring keeps the newest bytes, counts what it dropped, and grows only as needed.
 * @module
 */
import assert from "node:assert/strict";
import { RingBuffer } from "../ffi/run/ring_buffer.ts";
import { text } from "./_harness.ts";

Deno.test("RingBuffer keeps the newest bytes and counts the dropped ones", () => {
  const ring = new RingBuffer(10);
  const bytes = (s: string) => new TextEncoder().encode(s);
  ring.push(bytes("abcdef"));
  assert.equal(text(ring.bytes()), "abcdef");
  ring.push(bytes("ghijkl")); // wraps around
  assert.equal(text(ring.bytes()), "cdefghijkl");
  assert.equal(ring.dropped, 2);
  ring.push(bytes("m"));
  assert.equal(text(ring.bytes()), "defghijklm");
  ring.push(bytes("0123456789ABC")); // one chunk larger than the ring
  assert.equal(text(ring.bytes()), "3456789ABC");
  assert.equal(ring.dropped, 2 + 1 + 10 + 3);
  assert.equal(ring.size, 10);
});

Deno.test("RingBuffer grows lazily and stays exact across many pushes", () => {
  const ring = new RingBuffer(100_000);
  const all: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const chunk = new Uint8Array(1 + (i % 97)).map((_, j) => (i + j) & 0xff);
    ring.push(chunk);
    all.push(...chunk);
  }
  assert.deepEqual(ring.bytes(), new Uint8Array(all.slice(-100_000)));
  assert.equal(ring.dropped, all.length - 100_000);
});
