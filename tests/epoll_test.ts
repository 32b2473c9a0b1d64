/**
 * The epoll reactor over FFI: tokens come back as registered, readiness bits are mapped, a
 * removed or closed fd is no longer reported, and a wait with nothing ready times out empty.
 * @module
 */
import assert from "node:assert/strict";
import { Epoll } from "../ffi/os/epoll.ts";
import { cloexecPipe, closeFd, listOpenFds, writeSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("Epoll: readable, writable and hangup under their tokens; remove stops reports", () => {
  const before = listOpenFds().length;
  const [read, write] = cloexecPipe("test pipe");
  const epoll = new Epoll();
  try {
    epoll.add(read, "read", 7);
    epoll.add(write, "write", 2 ** 40); // tokens are 64-bit
    assert.deepEqual(epoll.wait(0), [
      { token: 2 ** 40, readable: false, writable: true, hangup: false },
    ]);
    writeSome(write, new Uint8Array([1]), "test write");
    const ready = epoll.wait(0).sort((a, b) => a.token - b.token);
    assert.deepEqual(ready.map((e) => [e.token, e.readable]), [[7, true], [2 ** 40, false]]);
    epoll.remove(write);
    closeFd(write);
    assert.deepEqual(epoll.wait(0), [{ token: 7, readable: true, writable: false, hangup: true }]);
  } finally {
    closeFd(read);
    epoll.close();
    epoll.close(); // twice is harmless
  }
  assert.equal(listOpenFds().length, before);
});

Deno.test("Epoll: nothing ready is an empty list after the timeout; a bad fd is a typed error", () => {
  using epoll = new Epoll();
  const start = performance.now();
  assert.deepEqual(epoll.wait(20), []);
  assert.ok(performance.now() - start >= 15, "it waited");
  assert.throws(
    () => epoll.add(-5, "read", 1),
    (e: Error & { code?: string }) => e.code === "EBADF",
  );
});

Deno.test("Epoll.waitOnThread: the wait runs off this thread and resolves with the events", async () => {
  const [read, write] = cloexecPipe("test pipe");
  const epoll = new Epoll();
  try {
    epoll.add(read, "read", 3);
    const pending = epoll.waitOnThread();
    let ticked = false;
    await new Promise((r) => setTimeout(r, 10)).then(() => ticked = true);
    assert.equal(ticked, true, "the JS thread kept running while the wait was parked");
    writeSome(write, new Uint8Array([1]), "test write");
    assert.deepEqual((await pending)?.map((e) => e.token), [3]);
  } finally {
    closeFd(read);
    closeFd(write);
    epoll.close();
  }
});
