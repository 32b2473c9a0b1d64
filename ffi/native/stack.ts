/**
 * The vfork child's stack: mapped once per thread that spawns (a module instance lives on one
 * thread), with a PROT_NONE guard page below it, and kept for the next spawn instead of being
 * mapped and unmapped every time as glibc's posix_spawn does. Spawns made on worker threads
 * each take one from a small pool, since several may be in flight at once.
 * @module
 */
import { sysError } from "../os/errors.ts";
import { libc } from "../os/libc.ts";

/** Usable bytes; the child's setup needs a few hundred, 64 KiB leaves ample room. */
export const STACK_SIZE = 64 * 1024;
const GUARD = 64 * 1024; // ≥ any page size (4, 16 or 64 KiB)

/** A mapped child stack: its lowest usable address and size. */
export interface VforkStack {
  readonly low: bigint;
  readonly size: number;
}

let stack: VforkStack | undefined;
const pool: VforkStack[] = [];

/** The lowest usable address and size of this thread's vfork stack. */
export function vforkStack(): VforkStack {
  return stack ??= mapStack();
}

/** A stack for one spawn on a worker thread; give it back with {@linkcode releaseStack}. */
export function acquireStack(): VforkStack {
  return pool.pop() ?? mapStack();
}

/** Returns a stack once its spawn has settled (the child exec'd or exited). */
export function releaseStack(s: VforkStack): void {
  pool.push(s);
}

function mapStack(): VforkStack {
  const c = libc();
  const { PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_STACK } =
    c.abi.kernel.common.mmap;
  const total = GUARD + STACK_SIZE;
  const base = c.symbols.mmap(
    null,
    BigInt(total),
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
    -1,
    0n,
  );
  const address = BigInt(Deno.UnsafePointer.value(base));
  if (!base || address === 0xffffffffffffffffn) throw sysError("mmap vfork stack", c.errno());
  if (c.symbols.mprotect(base, BigInt(GUARD), PROT_NONE) !== 0) {
    throw sysError("mprotect vfork stack guard", c.errno());
  }
  return { low: address + BigInt(GUARD), size: STACK_SIZE };
}
