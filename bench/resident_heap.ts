/**
 * A parent heap that is really resident: anonymous memory mapped and every page touched, unmapped
 * when the caller is done. A V8 array could not promise either (it is freed whenever the GC
 * runs), and a fork's cost follows the pages the parent has mapped.
 * @module
 */
import { libc } from "../ffi/os/libc.ts";

/** Maps `mib` MiB of anonymous memory and touches every page; returns the unmapper. */
export function residentHeap(mib: number): () => void {
  if (mib === 0) return () => {};
  const c = libc();
  const { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } = c.abi.kernel.common.mmap;
  const bytes = mib * 1024 * 1024;
  const base = c.symbols.mmap(
    null,
    BigInt(bytes),
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_ANONYMOUS,
    -1,
    0n,
  );
  if (!base || Deno.UnsafePointer.value(base) === 0xffffffffffffffffn) {
    throw new Error(`could not map a ${mib} MiB heap (errno ${c.errno()})`);
  }
  const pages = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(base, bytes));
  for (let i = 0; i < bytes; i += 4096) pages[i] = 1; // resident, not just reserved
  return () => void c.symbols.munmap(base, BigInt(bytes));
}
