/**
 * Moving bytes through the pipes without a child: the shared output budget, a capture read in
 * place or from the lent scratch buffer, readInto on a real pipe, the pipe growing once after a
 * full read, and the stdin feeder.
 * @module
 */
import assert from "node:assert/strict";
import {
  Capture,
  CHUNK,
  GROWN_PIPE_BYTES,
  OutputBudget,
  PipeReadSize,
  readInto,
  scratchOf,
  StdinFeeder,
} from "../ffi/supervise/drain.ts";
import { closeFd, readSome, writeSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { nonblockingPipe } from "./_pipes.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

/** A non-blocking pipe; whichever end `body` did not close (set to -1) is closed after it. */
function withPipe(body: (pipe: { read: number; write: number }) => void): void {
  const [read, write] = nonblockingPipe();
  const pipe = { read, write };
  try {
    body(pipe);
  } finally {
    if (pipe.read >= 0) closeFd(pipe.read);
    if (pipe.write >= 0) closeFd(pipe.write);
  }
}

const bytes = (...values: number[]) => new Uint8Array(values);

Deno.test("Capture: in-place reads are kept; lent ones copied up to the shared budget", () => {
  const budget = new OutputBudget(5);
  const out = new Capture(budget);
  const err = new Capture(budget);
  const room = out.target(3)!;
  room.set([1, 2, 3]);
  assert.deepEqual(out.add(room.subarray(0, 3)), bytes(1, 2, 3), "kept in place: handed back");
  assert.equal(budget.remaining, 2);
  assert.equal(err.add(bytes(7, 8, 9)), null, "lent: the caller copies what it needs");
  assert.deepEqual(err.bytes(), bytes(7, 8));
  assert.equal(budget.dropped, 1);
  assert.equal(budget.overflowed, true);
  assert.equal(out.target(4), null, "past the budget: read into scratch, keep nothing");
  assert.equal(out.add(scratchOf(4).subarray(0, 4)), null);
  assert.equal(budget.dropped, 5);
  assert.deepEqual(out.bytes(), bytes(1, 2, 3));
});

Deno.test("readInto: bytes, then again on an empty pipe, then 0 at EOF", () => {
  withPipe((pipe) => {
    const { read, write } = pipe;
    const capture = new Capture(new OutputBudget(Infinity));
    const size = new PipeReadSize();
    assert.equal(readInto(read, capture, size), "again");
    writeSome(write, bytes(4, 5), "test write");
    const got = readInto(read, capture, size);
    assert.ok(typeof got === "object");
    assert.deepEqual(got.chunk, bytes(4, 5));
    assert.deepEqual(got.kept, bytes(4, 5));
    closeFd(write);
    pipe.write = -1;
    assert.equal(readInto(read, capture, size), 0);
    assert.deepEqual(capture.bytes(), bytes(4, 5));
  });
});

Deno.test("PipeReadSize: a read that fills the default size grows the pipe once", () => {
  withPipe(({ read, write }) => {
    const size = new PipeReadSize();
    assert.equal(size.bytes, CHUNK);
    size.afterRead(read, CHUNK - 1);
    assert.equal(size.bytes, CHUNK, "a partial read says nothing");
    size.afterRead(read, CHUNK);
    assert.equal(size.bytes, GROWN_PIPE_BYTES);
    const filled = new Uint8Array(GROWN_PIPE_BYTES);
    assert.equal(writeSome(write, filled, "fill"), GROWN_PIPE_BYTES, "the kernel grew it");
    assert.equal(readSome(read, filled, "drain"), GROWN_PIPE_BYTES);
  });
});

Deno.test("StdinFeeder: chunks until done, again when full, childClosed once the reader went", () => {
  const data = new Uint8Array(3 * CHUNK + 10).fill(0x61);
  data[data.length - 1] = 0x0a;
  withPipe(({ read, write }) => {
    const feeder = new StdinFeeder(data);
    assert.equal(feeder.lastByte, 0x0a);
    assert.equal(feeder.writeOnce(write), "more");
    const results: string[] = [];
    for (let i = 0; i < 10 && !feeder.done; i++) results.push(feeder.writeOnce(write));
    assert.ok(results.includes("again"), "a full pipe is again, not an error");
    const sink = new Uint8Array(CHUNK);
    let total = 0;
    while (!feeder.done) {
      const n = readSome(read, sink, "drain");
      if (n !== "again") total += n;
      feeder.writeOnce(write);
    }
    for (let n = readSome(read, sink, "drain"); n !== "again"; n = readSome(read, sink, "drain")) {
      total += n as number;
    }
    assert.equal(total, data.length, "every byte once");
  });
  withPipe((pipe) => {
    closeFd(pipe.read);
    pipe.read = -1;
    assert.equal(new StdinFeeder(bytes(1)).writeOnce(pipe.write), "childClosed");
  });
  assert.equal(new StdinFeeder(new Uint8Array(0)).lastByte, null);
  assert.equal(new StdinFeeder(new Uint8Array(0)).done, true);
});
