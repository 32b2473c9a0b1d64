/**
 * Reads `/proc/self/…` through libc. Deno's own fs ops demand `--allow-all` for anything under
 * `/proc/self` (and `/proc/<own pid>`), even with `--allow-read`; coreshift already holds FFI,
 * so reading through libc keeps the documented narrow permission line working.
 * @module
 */
import { concatBytes } from "./bytes.ts";
import { cString } from "./cstrings.ts";
import { sysError } from "./errors.ts";
import { libc } from "./libc.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `linux_dirent64`: d_ino u64, d_off s64, d_reclen u16 at 16, d_type u8 at 18, name at 19. */
const RECLEN_OFFSET = 16;
const NAME_OFFSET = 19;

function openOrThrow(path: string, flags: number, op: string): number {
  const c = libc();
  const fd = c.symbols.open(cString(encoder.encode(path)), flags | c.abi.kernel.open.O_CLOEXEC, 0);
  if (fd < 0) throw sysError(op, c.errno(), `cannot open ${path}`);
  return fd;
}

/** The whole text of a (small, /proc) file. Throws `CoreError` with the errno on failure. */
export function readProcText(path: string): string {
  const c = libc();
  const fd = openOrThrow(path, c.abi.kernel.open.O_RDONLY, "read /proc");
  try {
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = Number(c.symbols.read(fd, buf, BigInt(buf.length)));
      if (n < 0) throw sysError("read /proc", c.errno(), `cannot read ${path}`);
      if (n === 0) break;
      chunks.push(buf.slice(0, n));
    }
    return decoder.decode(concatBytes(chunks));
  } finally {
    c.symbols.close(fd);
  }
}

/**
 * The entry names of a directory (without `.` and `..`), from getdents64. The directory's own
 * fd is open while it is read: a caller listing /proc/self/fd sees it, and must drop it.
 */
export function listProcDir(path: string): { names: string[]; ownFd: number } {
  const c = libc();
  const { O_RDONLY, O_DIRECTORY } = c.abi.kernel.open;
  const fd = openOrThrow(path, O_RDONLY | O_DIRECTORY, "list /proc");
  try {
    const names: string[] = [];
    const buf = new Uint8Array(8192);
    const view = new DataView(buf.buffer);
    const getdents64 = BigInt(c.abi.kernel.syscalls.getdents64);
    for (;;) {
      const n = Number(
        c.symbols.syscall_with_buffer(getdents64, BigInt(fd), buf, BigInt(buf.length)),
      );
      if (n < 0) throw sysError("list /proc", c.errno(), `cannot list ${path}`);
      if (n === 0) break;
      for (let at = 0; at < n;) {
        const reclen = view.getUint16(at + RECLEN_OFFSET, true);
        const end = buf.indexOf(0, at + NAME_OFFSET);
        const name = decoder.decode(buf.subarray(at + NAME_OFFSET, end));
        if (name !== "." && name !== "..") names.push(name);
        at += reclen;
      }
    }
    return { names, ownFd: fd };
  } finally {
    c.symbols.close(fd);
  }
}

/** Where a /proc symlink (`/proc/self/fd/3`, `/proc/self/exe`) points. */
export function readProcLink(path: string): string {
  const c = libc();
  const buf = new Uint8Array(4096);
  const n = Number(c.symbols.readlink(cString(encoder.encode(path)), buf, BigInt(buf.length)));
  if (n < 0) throw sysError("read /proc", c.errno(), `cannot read the link ${path}`);
  return decoder.decode(buf.subarray(0, n));
}
