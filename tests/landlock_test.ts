/**
 * Landlock: the ruleset built here, the child restricting itself with it, and what is refused
 * or reported, naming Landlock. qemu-user cannot install Landlock rulesets: the spawning cases
 * say so and are skipped there.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { CoreError, runSync } from "../mod.ts";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { landlockAbi } from "../ffi/confine/landlock.ts";
import { hostPlatform } from "../ffi/platform/platform.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";
import { CONFINE_SKIP as skip, confined, probe } from "./_confined.ts";

const { errno } = LINUX_COMMON;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

spawnTest("confine: Landlock lets the child read and write only what the rules say", () => {
  const abi = landlockAbi(hostPlatform());
  const dir = Deno.makeTempDirSync({ prefix: "coreshift-landlock-" });
  try {
    const ro = join(dir, "ro");
    const rw = join(dir, "rw");
    const other = join(dir, "other");
    for (const d of [ro, rw, other]) {
      Deno.mkdirSync(d);
      Deno.writeTextFileSync(join(d, "f"), "x");
    }
    const landlock = {
      read: ["/usr", "/lib", "/lib64", "/etc", dirname(probe), ro].filter(exists),
      write: [rw],
    };
    const run = (...args: string[]) => confined({ landlock, bestEffort: true }, ...args);
    const first = run("read", join(ro, "f"));
    if (abi === null) {
      assert.deepEqual(first.notApplied, ["landlock"], "bestEffort says what it skipped");
      return;
    }
    assert.equal(first.notApplied, undefined);
    assert.equal(text(first.stdout), "ok\n");
    assert.equal(text(run("read", join(other, "f")).stdout), `${errno.EACCES}\n`);
    assert.equal(text(run("write", join(ro, "new")).stdout), `${errno.EACCES}\n`, "read-only");
    assert.equal(text(run("write", join(rw, "new")).stdout), "ok\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}, skip);

Deno.test("confine: a kernel without Landlock is a typed error unless bestEffort", () => {
  if (landlockAbi(hostPlatform()) !== null) {
    // This kernel has it: the rule set is built and applied (the test above checks the effect).
    assert.ok(landlockAbi(hostPlatform())! >= 1);
    return;
  }
  const error = assertCoreError(
    () => runSync({ program: "true", confine: { landlock: { read: ["/usr"] } } }),
    "UnsupportedPlatform",
  );
  assert.ok(error instanceof CoreError);
});

Deno.test("confine: a NUL in a Landlock path is named as a NUL", () => {
  const e = assertCoreError(
    () => runSync({ program: "true", confine: { landlock: { read: ["/usr", "/et\0c"] } } }),
    "InvalidArgument",
  );
  assert.match(e.message, /confine\.landlock\.read\[1\] contains a NUL byte/);
});

spawnTest("confine: an exec Landlock refuses names Landlock in its hint", () => {
  for (const backend of ["vfork", "fork"] as const) {
    const e = assertCoreError(
      () => runSync({ program: probe, backend, confine: { landlock: {} } }),
      "EACCES",
      "child execve",
    );
    assert.match(e.message, /confine\.landlock hides it/);
  }
}, skip || (landlockAbi(hostPlatform()) === null && "this kernel has no Landlock"));
