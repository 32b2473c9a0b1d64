/**
 * The parent's pipe ends served by the fd poller, without a child: PipeReader's pause, resume,
 * drain and exactly-once end; PipeWriter's backpressure, end of input and close.
 * @module
 */
import assert from "node:assert/strict";
import { PipeReader, PipeWriter } from "../ffi/async/pipes.ts";
import { settled } from "../ffi/async/fd_poller.ts";
import { closeFd, readSome, writeSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { nonblockingPipe, tick } from "./_pipes.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

/** A reader that records its data (copied: chunks are lent) and its ends. */
function recordingReader(fd: number) {
  const chunks: number[][] = [];
  const ends: unknown[] = [];
  const reader = new PipeReader(fd, {
    data: (chunk) => chunks.push([...chunk]),
    end: (error) => ends.push(error ?? "eof"),
  }, "read test pipe");
  return { reader, chunks, ends };
}

Deno.test("PipeReader: a paused reader reads nothing until resumed; end comes once", async () => {
  const [read, write] = nonblockingPipe();
  const { reader, chunks, ends } = recordingReader(read);
  writeSome(write, new Uint8Array([1]), "write");
  await tick();
  assert.deepEqual(chunks, [[1]]);
  reader.pause();
  writeSome(write, new Uint8Array([2]), "write");
  await tick();
  assert.deepEqual(chunks, [[1]], "paused: the byte waits in the pipe");
  reader.resume();
  closeFd(write);
  await tick();
  assert.deepEqual(chunks, [[1], [2]]);
  assert.deepEqual(ends, ["eof"]);
  assert.equal(reader.open, false);
  reader.close(); // after the end: nothing more
  assert.deepEqual(ends, ["eof"]);
  await settled();
});

Deno.test("PipeReader.drainAndClose: what the pipe holds now, then the end, without EOF", async () => {
  const [read, write] = nonblockingPipe();
  const { reader, chunks, ends } = recordingReader(read);
  reader.pause();
  writeSome(write, new Uint8Array([7, 8]), "write");
  reader.drainAndClose();
  assert.deepEqual(chunks, [[7, 8]]);
  assert.deepEqual(ends, ["eof"]);
  closeFd(write); // a grandchild may hold this end for as long as it likes
  await settled();
});

Deno.test("PipeWriter: write resolves once the kernel took it all; end adds end of input", async () => {
  const [read, write] = nonblockingPipe();
  const writer = new PipeWriter(write, "write test pipe", (last) => new Uint8Array([last ?? 0, 4]));
  const big = new Uint8Array(300_000).fill(9);
  let done = false;
  const writing = writer.write(big).then(() => done = true);
  await tick();
  assert.equal(done, false, "the pipe is full until someone reads");
  const sink = new Uint8Array(1 << 16);
  let total = 0;
  while (!done) {
    const n = readSome(read, sink, "read");
    if (n === "again") await tick(1);
    else total += n;
  }
  await writing;
  await writer.end();
  assert.equal(writer.open, false);
  let tail: number[] = [];
  for (let n = readSome(read, sink, "read"); n !== 0; n = readSome(read, sink, "read")) {
    if (n === "again") await tick(1);
    else {
      total += n;
      tail = [...tail, ...sink.subarray(Math.max(0, n - 2), n)].slice(-2);
    }
  }
  assert.equal(total, big.length + 2);
  assert.deepEqual(tail, [9, 4], "the end of input was given the last byte written");
  closeFd(read);
  await assert.rejects(writer.write(new Uint8Array([1])), /EPIPE/);
  await settled();
});

Deno.test("PipeWriter.close: queued writes reject with EPIPE; close twice is harmless", async () => {
  const [read, write] = nonblockingPipe();
  const writer = new PipeWriter(write, "write test pipe");
  const pending = writer.write(new Uint8Array(300_000));
  writer.close();
  writer.close();
  await assert.rejects(pending, (e: Error & { code?: string }) => e.code === "EPIPE");
  closeFd(read);
  await settled();
});
