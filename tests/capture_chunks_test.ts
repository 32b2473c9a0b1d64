import assert from "node:assert/strict";
import { CaptureChunks } from "../ffi/supervise/capture_chunks.ts";

const scratch = new Uint8Array(64 * 1024);

/** Fills `target` with a counting pattern starting at `from`; returns how many were "read". */
function fakeRead(target: Uint8Array, from: number, available: number): number {
  const n = Math.min(target.length, available);
  for (let i = 0; i < n; i++) target[i] = (from + i) & 0xff;
  return n;
}

function expectCounting(bytes: Uint8Array, length: number): void {
  assert.equal(bytes.length, length);
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== (i & 0xff)) assert.fail(`byte ${i} is ${bytes[i]}, expected ${i & 0xff}`);
  }
}

/** Reads `total` bytes in reads of at most `readSize`, as a pipe reader would, then EOF. */
function capture(total: number, readSize: number): { kept: CaptureChunks; chunks: Uint8Array[] } {
  const kept = new CaptureChunks((size) => scratch.subarray(0, size));
  const chunks: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const room = kept.room(readSize);
    const n = fakeRead(room.target, done, total - done);
    const chunk = kept.commit(room, n);
    if (n === 0) break;
    chunks.push(chunk);
    done += n;
  }
  return { kept, chunks };
}

Deno.test("CaptureChunks: every size round-trips, in small and large reads", () => {
  for (const total of [0, 1, 4095, 65536, 65537, 1024 * 1024, 3 * 1024 * 1024 + 17]) {
    for (const readSize of [4096, 65536, 1024 * 1024]) {
      const { kept } = capture(total, readSize);
      assert.equal(kept.length, total);
      expectCounting(kept.bytes(), total);
    }
  }
});

Deno.test("CaptureChunks: committed chunks are never written over by later reads", () => {
  const { chunks } = capture(512 * 1024, 65536);
  let offset = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== ((offset + i) & 0xff)) assert.fail(`chunk byte ${offset + i} changed`);
    }
    offset += chunk.length;
  }
  assert.notEqual(
    chunks[0].buffer,
    scratch.buffer,
    "the first chunk must be copied out of scratch",
  );
});

Deno.test("CaptureChunks: a small output is one exact allocation, not a scratch view", () => {
  const { kept } = capture(10, 65536);
  const bytes = kept.bytes();
  assert.equal(bytes.length, 10);
  assert.equal(bytes.buffer.byteLength, 10);
});

Deno.test("CaptureChunks: the EOF read allocates nothing that the result keeps", () => {
  // 64 KiB fills the first chunk exactly; the EOF read's room must not end up in the result.
  const { kept } = capture(65536, 65536);
  const bytes = kept.bytes();
  assert.equal(bytes.buffer.byteLength, 65536);
  expectCounting(bytes, 65536);
});

Deno.test("CaptureChunks: new chunks never exceed what may still be kept", () => {
  const kept = new CaptureChunks((size) => scratch.subarray(0, size));
  const first = kept.room(65536, 70_000); // a full first read would start a 1 MiB chunk
  const firstKept = kept.commit(first, fakeRead(first.target, 0, 65536));
  assert.equal(firstKept.buffer.byteLength, 70_000);
  const rest = kept.room(65536, 70_000 - 65536);
  assert.equal(rest.target.length, 70_000 - 65536, "the chunk's free end, no more");
  kept.commit(rest, fakeRead(rest.target, 65536, rest.target.length));
  const next = kept.room(65536, 1000); // a budget of 1,000 bytes left
  const nextKept = kept.commit(next, fakeRead(next.target, 70_000, 1000));
  assert.ok(nextKept.buffer.byteLength <= 1000, `chunk of ${nextKept.buffer.byteLength}`);
  expectCounting(kept.bytes(), 71_000);
});

Deno.test("CaptureChunks: an output that ends at a chunk's end is that chunk, not a copy", () => {
  const { kept, chunks } = capture(1024 * 1024, 65536); // the first full read starts 1 MiB
  const bytes = kept.bytes();
  expectCounting(bytes, 1024 * 1024);
  assert.equal(bytes.buffer.byteLength, 1024 * 1024);
  assert.equal(bytes.buffer, chunks[1].buffer, "the result must be the chunk read into");
});

Deno.test("CaptureChunks: a read that may start a chunk goes to scratch first", () => {
  const kept = new CaptureChunks((size) => scratch.subarray(0, size));
  const first = kept.room(4096);
  assert.equal(first.target.buffer, scratch.buffer);
  kept.commit(first, fakeRead(first.target, 0, 100)); // short: an exact chunk of 100
  const second = kept.room(4096);
  assert.equal(second.target.buffer, scratch.buffer, "the exact chunk has no room left");
  assert.equal(kept.commit(second, 0).length, 0); // EOF: nothing allocated, nothing kept
  assert.equal(kept.bytes().buffer.byteLength, 100);
});

Deno.test("CaptureChunks: append copies across chunk boundaries", () => {
  const kept = new CaptureChunks((size) => scratch.subarray(0, size));
  const source = new Uint8Array(200_000);
  fakeRead(source, 0, source.length);
  kept.append(source.subarray(0, 70_000));
  kept.append(source.subarray(70_000));
  expectCounting(kept.bytes(), 200_000);
});
