/**
 * The fd poller: one parked wait serves every watched fd; a handler runs while its fd is ready
 * and never after unwatch; a throwing handler does not stop the others; the poller holds no fd
 * once nothing is watched; an unref'd scope polls instead of parking.
 * @module
 */
import assert from "node:assert/strict";
import { refsChanged, settled, unwatch, watch } from "../ffi/async/fd_poller.ts";
import { closeFd, listOpenFds, readSome, writeSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { nonblockingPipe, tick } from "./_pipes.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("watch: handlers run for ready fds only; unwatch stops them; no fd kept when idle", async () => {
  const before = listOpenFds().length;
  const [a, aw] = nonblockingPipe();
  const [b, bw] = nonblockingPipe();
  const seen: string[] = [];
  const buf = new Uint8Array(16);
  const drain = (fd: number, name: string) => () => {
    readSome(fd, buf, "read");
    seen.push(name);
  };
  const ta = watch(a, "read", drain(a, "a"));
  const tb = watch(b, "read", drain(b, "b"));
  assert.ok(listOpenFds().length > before + 4, "the set and its doorbell exist while watching");
  writeSome(bw, new Uint8Array([1]), "write");
  await tick();
  assert.deepEqual(seen, ["b"]);
  unwatch(b, tb);
  writeSome(bw, new Uint8Array([1]), "write");
  writeSome(aw, new Uint8Array([1]), "write");
  await tick();
  assert.deepEqual(seen, ["b", "a"], "b is not served after unwatch");
  unwatch(a, ta);
  await settled();
  for (const fd of [a, aw, b, bw]) closeFd(fd);
  assert.equal(listOpenFds().length, before, "no epoll set or doorbell once idle");
});

Deno.test("a throwing handler is reported and the other fds are still served", async () => {
  const [a, aw] = nonblockingPipe();
  const [b, bw] = nonblockingPipe();
  const reported: unknown[] = [];
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    reported.push(e.error);
  };
  globalThis.addEventListener("error", onError);
  let served = 0;
  const ta = watch(a, "read", () => {
    readSome(a, new Uint8Array(8), "read");
    throw new Error("handler bug");
  });
  const tb = watch(b, "read", () => {
    readSome(b, new Uint8Array(8), "read");
    served++;
  });
  try {
    writeSome(aw, new Uint8Array([1]), "write");
    writeSome(bw, new Uint8Array([1]), "write");
    await tick();
    writeSome(bw, new Uint8Array([1]), "write");
    await tick();
    assert.equal(served, 2);
    assert.equal((reported[0] as Error)?.message, "handler bug");
  } finally {
    globalThis.removeEventListener("error", onError);
    unwatch(a, ta);
    unwatch(b, tb);
    await settled();
    for (const fd of [a, aw, b, bw]) closeFd(fd);
  }
});

Deno.test("an unref'd scope is still served (polled) and ref'ing it again parks the wait", async () => {
  const [a, aw] = nonblockingPipe();
  const scope = { ref: false };
  let served = 0;
  const token = watch(a, "read", () => {
    readSome(a, new Uint8Array(8), "read");
    served++;
  }, scope);
  try {
    writeSome(aw, new Uint8Array([1]), "write");
    await tick(50);
    assert.equal(served, 1, "polled from an unref'd timer");
    scope.ref = true;
    refsChanged();
    writeSome(aw, new Uint8Array([1]), "write");
    await tick();
    assert.equal(served, 2);
  } finally {
    unwatch(a, token);
    await settled();
    closeFd(a);
    closeFd(aw);
  }
});
