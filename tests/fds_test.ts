/**
 * The fd primitives: close-on-exec pipes and copies, non-blocking flags set and cleared, the
 * shared /dev/null, directory checks, and read/write results for empty, full, closed and
 * ended pipes.
 * @module
 */
import assert from "node:assert/strict";
import {
  clearNonblocking,
  cloexecPipe,
  closeFd,
  devNullFd,
  directoryErrno,
  dupCloexec,
  fdFlags,
  listOpenFds,
  readSome,
  setNonblocking,
  writeSome,
} from "../ffi/os/fds.ts";
import { cString } from "../ffi/os/cstrings.ts";
import { libc } from "../ffi/os/libc.ts";

const c = libc(); // opened once at module scope: the library handle is not a per-test leak
devNullFd(); // shared for the life of the process, by design: open before the sanitizer counts
const { FD_CLOEXEC } = c.abi.kernel.common.fcntl;
const { O_NONBLOCK } = c.abi.kernel.open;
const nonblocking = (fd: number) =>
  (c.symbols.fcntl(fd, c.abi.kernel.common.fcntl.F_GETFL, 0) & O_NONBLOCK) !== 0;

Deno.test("cloexecPipe and dupCloexec: every end close-on-exec; a copy at or above `lowest`", () => {
  const [read, write] = cloexecPipe("test pipe");
  try {
    assert.equal(fdFlags(read) & FD_CLOEXEC, FD_CLOEXEC);
    assert.equal(fdFlags(write) & FD_CLOEXEC, FD_CLOEXEC);
    const copy = dupCloexec(read, "test dup", 100);
    assert.ok(copy >= 100);
    assert.equal(fdFlags(copy) & FD_CLOEXEC, FD_CLOEXEC);
    closeFd(copy);
    assert.equal(fdFlags(copy), -1, "closed");
    assert.throws(
      () => dupCloexec(-1, "test dup"),
      (e: Error & { code?: string }) => e.code === "EBADF",
    );
  } finally {
    closeFd(read);
    closeFd(write);
  }
});

Deno.test("setNonblocking and clearNonblocking flip O_NONBLOCK and nothing else", () => {
  const [read, write] = cloexecPipe("test pipe");
  try {
    assert.equal(nonblocking(read), false);
    setNonblocking(read, "test");
    assert.equal(nonblocking(read), true);
    assert.equal(fdFlags(read) & FD_CLOEXEC, FD_CLOEXEC);
    clearNonblocking(read, "test");
    assert.equal(nonblocking(read), false);
  } finally {
    closeFd(read);
    closeFd(write);
  }
});

Deno.test("readSome and writeSome: again when empty or full, 0 at EOF, closed without a reader", () => {
  const [read, write] = cloexecPipe("test pipe");
  setNonblocking(read, "test");
  setNonblocking(write, "test");
  const buf = new Uint8Array(1 << 16);
  assert.equal(readSome(read, buf, "read"), "again");
  let written = 0;
  for (let n = writeSome(write, buf, "write"); n !== "again"; n = writeSome(write, buf, "write")) {
    written += n as number;
  }
  assert.ok(written > 0, "filled up to again");
  let drained = 0;
  for (let n = readSome(read, buf, "read"); n !== "again"; n = readSome(read, buf, "read")) {
    drained += n as number;
  }
  assert.equal(drained, written);
  closeFd(write);
  assert.equal(readSome(read, buf, "read"), 0, "EOF once the writer is gone");
  const [read2, write2] = cloexecPipe("test pipe");
  closeFd(read2);
  assert.equal(writeSome(write2, buf, "write"), "closed", "EPIPE (Deno ignores SIGPIPE)");
  closeFd(write2);
  closeFd(read);
  assert.throws(() => readSome(read, buf, "read closed"), /read closed: failed with EBADF/);
});

Deno.test("devNullFd: one close-on-exec /dev/null, the same every call", () => {
  const fd = devNullFd();
  assert.equal(devNullFd(), fd);
  assert.ok(fd > 2);
  assert.equal(fdFlags(fd) & FD_CLOEXEC, FD_CLOEXEC);
  assert.ok(listOpenFds().some((o) => o.fd === fd && o.cloexec));
});

Deno.test("directoryErrno: 0 for a directory, the errno otherwise, and no fd kept", () => {
  const before = listOpenFds().length;
  const { ENOENT, ENOTDIR } = c.abi.kernel.common.errno;
  const path = (p: string) => cString(new TextEncoder().encode(p));
  assert.equal(directoryErrno(path("/tmp")), 0);
  assert.equal(directoryErrno(path("/no/such/dir")), ENOENT);
  assert.equal(directoryErrno(path("/dev/null")), ENOTDIR);
  assert.equal(listOpenFds().length, before);
});
