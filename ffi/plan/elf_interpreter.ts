/**
 * Whether a program is dynamically linked: an ELF file with a `PT_INTERP` program header names
 * the loader the kernel runs first. A seccomp allow list is installed before execve, so that
 * loader runs under it too, and one that cannot map or open its libraries crashes before `main`
 * with nothing to say why; coreshift checks such a list against this before any child exists.
 * @module
 */
import { closeFd } from "../os/fds.ts";
import { libc } from "../os/libc.ts";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS64 = 2;
const PT_INTERP = 3;
/** ELF64 header fields: where the program headers start, their size and count. */
const E_PHOFF = 32;
const E_PHENTSIZE = 54;
const E_PHNUM = 56;
/** Enough for the header and the program headers of any ordinary program. */
const HEAD_BYTES = 4096;

/** True when `path` (a NUL-terminated C string) is a 64-bit ELF file with an interpreter. */
export function hasElfInterpreter(path: Uint8Array): boolean {
  const head = readHead(path);
  if (head.length < 64 || ELF_MAGIC.some((b, i) => head[i] !== b) || head[4] !== ELFCLASS64) {
    return false;
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const little = head[5] === 1;
  const phoff = Number(view.getBigUint64(E_PHOFF, little));
  const size = view.getUint16(E_PHENTSIZE, little);
  const count = view.getUint16(E_PHNUM, little);
  for (let i = 0; i < count; i++) {
    const at = phoff + i * size;
    if (at + 4 > head.length) break;
    if (view.getUint32(at, little) === PT_INTERP) return true;
  }
  return false;
}

function readHead(path: Uint8Array): Uint8Array {
  const c = libc();
  const fd = c.symbols.open(path, c.abi.kernel.open.O_RDONLY | c.abi.kernel.open.O_CLOEXEC, 0);
  if (fd < 0) return new Uint8Array(0); // unreadable: exec will report what is wrong
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const n = Number(c.symbols.read(fd, buf, BigInt(buf.length)));
    return buf.subarray(0, Math.max(0, n));
  } finally {
    closeFd(fd);
  }
}
