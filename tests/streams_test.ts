/**
 * Web streams over pipes, without a child: a readable of what a pipe carries that ends at EOF,
 * backpressure that stops reading, cancel that closes the fd, a writable whose close is EOF,
 * and collect().
 * @module
 */
import assert from "node:assert/strict";
import { collect, pipeReadable, pipeWritable } from "../ffi/async/streams.ts";
import { PipeWriter } from "../ffi/async/pipes.ts";
import { settled } from "../ffi/async/fd_poller.ts";
import { closeFd, fdFlags, listOpenFds, readSome, writeSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { nonblockingPipe } from "./_pipes.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("pipeReadable: every byte in order, then the end once the writer closes", async () => {
  const before = listOpenFds().length;
  const [read, write] = nonblockingPipe();
  const { stream } = pipeReadable(read, "read test pipe");
  const data = new Uint8Array(200_000).map((_, i) => i % 251);
  const writing = (async () => {
    let at = 0;
    while (at < data.length) {
      const n = writeSome(write, data.subarray(at), "write");
      if (typeof n === "number") at += n;
      else await new Promise((r) => setTimeout(r, 1));
    }
    closeFd(write);
  })();
  assert.deepEqual(await collect(stream), data);
  await writing;
  await settled();
  assert.equal(listOpenFds().length, before, "the reader closed its fd at EOF");
});

Deno.test("pipeReadable: cancel closes the fd; the writer then sees the pipe closed", async () => {
  const [read, write] = nonblockingPipe();
  const { stream, reader } = pipeReadable(read, "read test pipe");
  writeSome(write, new Uint8Array([1, 2, 3]), "write");
  const chunks = stream.getReader();
  assert.deepEqual((await chunks.read()).value, new Uint8Array([1, 2, 3]));
  await chunks.cancel();
  assert.equal(reader.open, false);
  assert.equal(fdFlags(read), -1, "closed");
  assert.equal(writeSome(write, new Uint8Array([4]), "write"), "closed");
  closeFd(write);
  await settled();
});

Deno.test("pipeWritable: chunks arrive in order; close is EOF; a string chunk is refused", async () => {
  const [read, write] = nonblockingPipe();
  const writable = pipeWritable(new PipeWriter(write, "write test pipe", null));
  const w = writable.getWriter();
  await w.write(new Uint8Array([1, 2]));
  await w.write(new Uint8Array([3]));
  await w.close();
  const buf = new Uint8Array(8);
  assert.equal(readSome(read, buf, "read"), 3);
  assert.deepEqual(buf.subarray(0, 3), new Uint8Array([1, 2, 3]));
  assert.equal(readSome(read, buf, "read"), 0, "the writer's close reached the reader");
  closeFd(read);

  const [read2, write2] = nonblockingPipe();
  const refusing = pipeWritable(new PipeWriter(write2, "write test pipe", null)).getWriter();
  await assert.rejects(
    refusing.write("text" as unknown as Uint8Array),
    (e: Error & { code?: string }) => e.code === "InvalidArgument",
  );
  closeFd(read2);
  await settled();
});
