/**
 * The vfork child's stack: mapped once per thread and kept, a PROT_NONE guard below it, and a
 * pool for spawns made off the JS thread.
 * @module
 */
import assert from "node:assert/strict";
import { acquireStack, releaseStack, STACK_SIZE, vforkStack } from "../ffi/native/stack.ts";
import { readProcText } from "../ffi/os/proc_files.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

/** The permissions of the mapping holding `address` in /proc/self/maps. */
function permsAt(address: bigint): string | undefined {
  for (const line of readProcText("/proc/self/maps").split("\n")) {
    const m = line.match(/^([0-9a-f]+)-([0-9a-f]+) (\S+)/);
    if (m && BigInt(`0x${m[1]}`) <= address && address < BigInt(`0x${m[2]}`)) return m[3];
  }
  return undefined;
}

Deno.test("vforkStack: one mapping, read-write, with an inaccessible guard just below", () => {
  const stack = vforkStack();
  assert.equal(vforkStack(), stack, "mapped once, kept for every spawn");
  assert.equal(stack.size, STACK_SIZE);
  assert.equal(permsAt(stack.low), "rw-p");
  assert.equal(permsAt(stack.low + BigInt(STACK_SIZE) - 1n), "rw-p");
  assert.equal(permsAt(stack.low - 1n), "---p", "an overflow faults instead of writing below");
});

Deno.test("acquireStack: a released stack is handed out again; two in flight are apart", () => {
  const a = acquireStack();
  const b = acquireStack();
  assert.notEqual(a.low, b.low);
  assert.notEqual(a.low, vforkStack().low, "the pool is not the JS thread's stack");
  releaseStack(a);
  assert.equal(acquireStack(), a);
  releaseStack(a);
  releaseStack(b);
});
