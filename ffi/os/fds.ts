/**
 * File descriptors: the `/proc/self/fd` scan behind the fd policies, close-on-exec pipes,
 * and flag checks. Everything here is a thin, checked wrapper over one libc call.
 * @module
 */
import { sysError } from "./errors.ts";
import { libc } from "./libc.ts";
import { listProcDir } from "./proc_files.ts";

/** One open descriptor of this process. */
export interface OpenFd {
  readonly fd: number;
  /** Whether `FD_CLOEXEC` is set, i.e. exec closes it by itself. */
  readonly cloexec: boolean;
}

/**
 * Lists this process's open fds with their close-on-exec flag. The directory handle used for
 * the scan is closed before the flags are read, so it drops out (F_GETFD fails on it).
 */
export function listOpenFds(): OpenFd[] {
  const numbers = listProcDir("/proc/self/fd").names.map(Number).sort((a, b) => a - b);
  const out: OpenFd[] = [];
  for (const fd of numbers) {
    const flags = fdFlags(fd);
    if (flags >= 0) {
      out.push({ fd, cloexec: (flags & libc().abi.kernel.common.fcntl.FD_CLOEXEC) !== 0 });
    }
  }
  return out;
}

/** `fcntl(fd, F_GETFD)`: the fd flags, or -1 if `fd` is not open. */
export function fdFlags(fd: number): number {
  const c = libc();
  return c.symbols.fcntl(fd, c.abi.kernel.common.fcntl.F_GETFD, 0);
}

/** Closes `fd`. Linux always releases the number, even on EINTR, so no retry. */
export function closeFd(fd: number): void {
  libc().symbols.close(fd);
}

/**
 * A pipe whose both ends are close-on-exec and numbered 3 or above: `[readEnd, writeEnd]`.
 * If this process runs with 0, 1 or 2 closed, pipe2 can hand those numbers out, and a dup onto
 * 0/1/2 in the child would then overwrite an end it still needs.
 */
export function cloexecPipe(op: string): [number, number] {
  const c = libc();
  const raw = new Int32Array(2);
  if (c.symbols.pipe2(new Uint8Array(raw.buffer), c.abi.kernel.open.O_CLOEXEC) !== 0) {
    throw sysError(op, c.errno(), "the process may be out of file descriptors (ulimit -n)");
  }
  const ends: [number, number] = [raw[0], raw[1]];
  try {
    for (let i = 0; i < 2; i++) {
      if (ends[i] >= 3) continue;
      const moved = dupCloexec(ends[i], op);
      closeFd(ends[i]);
      ends[i] = moved;
    }
  } catch (e) {
    closeFd(ends[0]);
    closeFd(ends[1]);
    throw e;
  }
  return ends;
}

/**
 * Sets `O_NONBLOCK` on a fresh pipe end of ours. A new pipe end has no other status flag (F_SETFL
 * ignores the access mode), so one F_SETFL does it without reading the flags first.
 */
export function setNonblocking(fd: number, op: string): void {
  const c = libc();
  if (c.symbols.fcntl(fd, c.abi.kernel.common.fcntl.F_SETFL, c.abi.kernel.open.O_NONBLOCK) < 0) {
    throw sysError(op, c.errno());
  }
}

/** Clears `O_NONBLOCK` on `fd`'s open file description, keeping its other status flags. */
export function clearNonblocking(fd: number, op: string): void {
  const c = libc();
  const { F_GETFL, F_SETFL } = c.abi.kernel.common.fcntl;
  const flags = c.symbols.fcntl(fd, F_GETFL, 0);
  if (flags < 0 || c.symbols.fcntl(fd, F_SETFL, flags & ~c.abi.kernel.open.O_NONBLOCK) < 0) {
    throw sysError(op, c.errno());
  }
}

/**
 * Whether `path` (a NUL-terminated C string) opens as a directory: 0 if it does (the fd is
 * closed again), else the errno of `open(path, O_DIRECTORY)` (ENOENT, ENOTDIR, EACCES, …).
 */
export function directoryErrno(path: Uint8Array): number {
  const c = libc();
  const { O_RDONLY, O_DIRECTORY, O_CLOEXEC } = c.abi.kernel.open;
  const fd = c.symbols.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0) return c.errno();
  closeFd(fd);
  return 0;
}

let devNull = -1;

/**
 * One close-on-exec `/dev/null` fd (read-write) shared by every spawn for the life of the
 * process: a child's null stdio is then a dup2 instead of a path lookup per stream.
 */
export function devNullFd(): number {
  if (devNull >= 0) return devNull;
  const c = libc();
  const { O_RDWR, O_CLOEXEC } = c.abi.kernel.open;
  const fd = c.symbols.open(new TextEncoder().encode("/dev/null\0"), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0) throw sysError("open /dev/null", c.errno());
  if (fd < 3) {
    // 0-2 were closed in this process: move it up, or a dup onto 0-2 would overwrite it.
    const moved = dupCloexec(fd, "open /dev/null");
    closeFd(fd);
    return devNull = moved;
  }
  return devNull = fd;
}

/** `fcntl(fd, F_DUPFD_CLOEXEC, lowest)`: a close-on-exec copy of `fd` numbered `lowest` or above. */
export function dupCloexec(fd: number, op: string, lowest = 3): number {
  const c = libc();
  const copy = c.symbols.fcntl(fd, c.abi.kernel.common.fcntl.F_DUPFD_CLOEXEC, lowest);
  if (copy < 0) throw sysError(op, c.errno());
  return copy;
}

/**
 * Asks for a pipe buffer of `bytes` (best effort; returns whether it worked). A bigger buffer
 * lets a child write a large output without waiting for us between 64 KiB blocks. Only worth it
 * for pipes already seen full: every byte of capacity counts against the user's pipe quota
 * (`pipe-user-pages-soft`), and past it Linux gives new pipes a single page.
 */
export function growPipe(fd: number, bytes: number): boolean {
  const c = libc();
  return c.symbols.fcntl(fd, c.abi.kernel.common.fcntl.F_SETPIPE_SZ, bytes) >= 0;
}

/**
 * One `read` from non-blocking `fd` into `target`: the byte count (0 at EOF), or `"again"` when
 * the pipe is empty for now. EINTR is retried; any other error is thrown as a `CoreError`.
 */
export function readSome(fd: number, target: Uint8Array, op: string): number | "again" {
  const c = libc();
  const { EAGAIN, EINTR, EIO } = c.abi.kernel.common.errno;
  for (;;) {
    const n = Number(c.symbols.read(fd, target, BigInt(target.length)));
    if (n >= 0) return n;
    const e = c.errno();
    if (e === EAGAIN) return "again";
    // A pty master reads EIO once every slave fd is closed: that is its end of file.
    if (e === EIO) return 0;
    if (e !== EINTR) throw sysError(op, e);
  }
}

/**
 * One `write` of `data` to non-blocking `fd`: the byte count, `"again"` when the pipe is full,
 * or `"closed"` (EPIPE) when nobody reads it any more. EINTR is retried; any other error is
 * thrown as a `CoreError`.
 */
export function writeSome(fd: number, data: Uint8Array, op: string): number | "again" | "closed" {
  const c = libc();
  const { EAGAIN, EINTR, EPIPE } = c.abi.kernel.common.errno;
  for (;;) {
    const n = Number(c.symbols.write(fd, data, BigInt(data.length)));
    if (n >= 0) return n;
    const e = c.errno();
    if (e === EAGAIN) return "again";
    if (e === EPIPE) return "closed";
    if (e !== EINTR) throw sysError(op, e);
  }
}
