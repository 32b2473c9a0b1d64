/**
 * Shared test plumbing: every spawning test runs with Deno's op and resource sanitizers on and
 * checks that this process holds the same fds and children after the test as before.
 * @module
 */
import assert from "node:assert/strict";
import { CoreError, hostPlatform } from "../mod.ts";
import { devNullFd } from "../ffi/os/fds.ts";
import { nativeHelper } from "../ffi/native/loader.ts";
import { vforkStack } from "../ffi/native/stack.ts";
import { vforkSharesMemory } from "../ffi/native/helper_spawn.ts";
import { alive, childPids, openFds } from "./_proc.ts";

export { alive, childPids, openFds };

Deno.test.sanitizer({ ops: true, resources: true });
// libc, the native helper, the vfork stack and the shared /dev/null fd stay for the life of
// the process; set them up before any test so that no test is charged with them.
hostPlatform();
devNullFd();
nativeHelper();
vforkStack();

/** Whether `pid` exists (zombie or alive). */
export function pidExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers a test that spawns: sanitizers on, and the fd set and child set after the test
 * must equal those before it (nothing leaked, no zombie). With `skip`, the test is reported as
 * ignored with that reason in its name.
 */
export function spawnTest(
  name: string,
  fn: () => void | Promise<void>,
  skip?: string | false,
): void {
  if (skip) {
    // Never silent: the reason is part of the name every report shows.
    Deno.test({ name: `${name} [skipped: ${skip}]`, ignore: true, fn });
    return;
  }
  Deno.test({
    name,
    sanitizeOps: true,
    sanitizeResources: true,
    async fn() {
      const fdsBefore = openFds();
      const childrenBefore = childPids();
      await fn();
      assert.deepEqual(openFds(), fdsBefore, "fds leaked by the test");
      assert.deepEqual(childPids(), childrenBefore, "children or zombies left by the test");
    },
  });
}

/** Asserts that `fn` throws a CoreError with `code` (and `op` containing `opPart`, if given). */
export function assertCoreError(fn: () => unknown, code: string, opPart?: string): CoreError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CoreError, `expected CoreError ${code}, got ${caught}`);
  assert.equal(caught.code, code, `code (message: ${caught.message})`);
  if (opPart) assert.ok(caught.op.includes(opPart), `op "${caught.op}" lacks "${opPart}"`);
  return caught;
}

/**
 * Set when vfork does not share memory: qemu-user emulates CLONE_VM|CLONE_VFORK as fork. Then
 * glibc's posix_spawn cannot report an exec error (it relies on the shared memory).
 */
export const EMULATED_VFORK: string | false = vforkSharesMemory()
  ? false
  : "qemu-user emulates vfork as fork, so glibc posix_spawn cannot see exec errors";

/** UTF-8 decode. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Awaits `promise`, which must reject with a CoreError with `code`; returns the error. */
export async function assertRejectsCoreError(
  promise: Promise<unknown>,
  code: string,
): Promise<CoreError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CoreError, `expected CoreError ${code}, got ${caught}`);
  assert.equal(caught.code, code, `code (message: ${caught.message})`);
  return caught;
}

/** The scheduler state letter of `pid` (`R`, `S`, `T` stopped, `Z` zombie), or null if gone. */
export function procState(pid: number): string | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0];
  } catch {
    return null;
  }
}

/** Waits until `check()` is true, polling every 5 ms, for at most `ms`; returns the last result. */
export async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
