/**
 * TimerFd: the kernel timer behind exact deadlines (armed, due, expired, closed).
 * @module
 */
import assert from "node:assert/strict";
import { listOpenFds } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { TimerFd } from "../ffi/os/timer_fd.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

function tryRead(fd: number, buf: Uint8Array<ArrayBuffer>): number {
  return Number(libc().symbols.read(fd, buf, BigInt(buf.length)));
}

Deno.test("TimerFd: nothing to read until armed and due, then one expiry; close frees the fd", () => {
  const before = listOpenFds().length;
  const timer = TimerFd.open();
  assert.ok(timer, "glibc and bionic both have timerfd_create");
  assert.ok(listOpenFds().find((o) => o.fd === timer.fd)?.cloexec, "close-on-exec");
  const buf = new Uint8Array(8);
  assert.equal(tryRead(timer.fd, buf), -1, "disarmed: nonblocking read finds nothing");
  const start = performance.now();
  timer.armIn(2);
  let n = -1;
  while (n < 0 && performance.now() - start < 5000) n = tryRead(timer.fd, buf);
  assert.ok(performance.now() - start >= 2, "never before its delay");
  assert.equal(n, 8);
  assert.equal(new DataView(buf.buffer).getBigUint64(0, true), 1n, "one-shot: one expiry");
  timer.close();
  timer.close(); // a second close is a no-op, not a close of someone else's fd
  assert.equal(listOpenFds().length, before);
});

Deno.test("TimerFd.expired: false on a wake-up before the deadline, true once it passed", () => {
  const timer = TimerFd.open()!;
  try {
    timer.armIn(60_000);
    assert.equal(timer.expired(), false, "a handler woken early must not fire");
    timer.armIn(0);
    const start = performance.now();
    let fired = false;
    while (!fired && performance.now() - start < 5000) fired = timer.expired();
    assert.ok(fired);
    assert.equal(timer.expired(), false, "the expiry is consumed once");
  } finally {
    timer.close();
  }
});
