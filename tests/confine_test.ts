/**
 * `confine` on real children on this kernel (the filter itself is in seccomp_filter_test.ts): a
 * denied `socket(AF_INET)` while AF_UNIX works, the kill action ending the child with SIGSYS,
 * Landlock read and read-write paths, no_new_privs, and bad rules refused before anything
 * starts. qemu-user cannot install seccomp filters, so the spawning cases say so and are skipped
 * there.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { CoreError, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { landlockAbi } from "../ffi/confine/landlock.ts";
import { hostPlatform } from "../ffi/platform/platform.ts";
import { assertCoreError, EMULATED_VFORK, spawnTest, text } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

const { errno, addressFamilies } = LINUX_COMMON;

Deno.test("confine: bad rules are typed errors before anything starts", () => {
  const bad: SpawnOptions["confine"][] = [
    { seccomp: { deny: ["no_such_syscall"] } },
    { seccomp: { deny: ["execve"] } },
    { seccomp: { deny: ["read"], allow: ["write"] } },
    { seccomp: { socket: ["carrier-pigeon" as "unix"] } },
    { seccomp: { deny: ["read"], action: "ENOPE" } },
    { seccomp: { allow: ["read", "io_uring_setup"] } },
    { seccomp: { allow: ["socket", "io_uring_enter"], socket: ["unix"] } },
    { landlock: { read: ["relative/path"] } },
    { landlock: { read: ["/usr"], write: ["/usr/"] } },
    { landlock: { read: ["/usr"], extra: true } as unknown as { read: string[] } },
  ];
  for (const confine of bad) {
    assertCoreError(() => runSync({ program: "true", confine }), "InvalidArgument");
  }
  assertCoreError(
    () => runSync({ program: "true", backend: "posixSpawn", confine: { noNewPrivs: true } }),
    "UnsupportedOption",
  );
});

const probe = probePath();
const skip = EMULATED_VFORK && "qemu-user cannot install seccomp filters or Landlock rulesets";
const confined = (confine: SpawnOptions["confine"], ...args: string[]) =>
  runSync({ program: probe, args, confine });

/** What an io_uring IORING_OP_SOCKET gives an unconfined child here: "ok" where the kernel can. */
const uringHere = skip ? "" : text(runSync({ program: probe, args: ["uring_socket", "2"] }).stdout);
const uringSkip = skip ||
  (uringHere !== "ok\n" &&
    `no io_uring IORING_OP_SOCKET on this kernel (errno ${uringHere.trim()})`);

spawnTest("confine: no network means no socket through an io_uring either", () => {
  const inet = String(addressFamilies.AF_INET);
  for (const seccompRules of [{ socket: ["unix" as const] }, { deny: ["socket"] }]) {
    for (const backend of ["vfork", "fork"] as const) {
      const out = runSync({
        program: probe,
        args: ["uring_socket", inet],
        backend,
        confine: { seccomp: seccompRules },
      });
      assert.equal(
        text(out.stdout),
        `${errno.EPERM}\n`,
        `${backend} ${JSON.stringify(seccompRules)}`,
      );
    }
  }
  const plain = runSync({
    program: probe,
    args: ["uring_socket", inet],
    confine: { seccomp: { deny: ["mount"] } },
  });
  assert.equal(
    text(plain.stdout),
    "ok\n",
    "without a socket rule the ring works: the test can fail",
  );
}, uringSkip);

spawnTest("confine: no network but AF_UNIX; the kill action ends the child with SIGSYS", () => {
  const unixOnly = { seccomp: { socket: ["unix" as const] } };
  assert.equal(
    text(confined(unixOnly, "socket", String(addressFamilies.AF_INET)).stdout),
    `${errno.EPERM}\n`,
  );
  assert.equal(text(confined(unixOnly, "socket", String(addressFamilies.AF_UNIX)).stdout), "ok\n");
  const killed = confined({ seccomp: { deny: ["socket"], action: "kill" } }, "socket", "1");
  assert.equal(killed.status.kind === "signaled" && killed.status.signalName, "SIGSYS");
}, skip);

spawnTest("confine: no_new_privs shows as 1 in the child, on every entry point", async () => {
  const options: SpawnOptions = {
    program: "grep",
    args: ["NoNewPrivs", "/proc/self/status"],
    confine: { noNewPrivs: true },
  };
  assert.match(text(runSync(options).stdout), /NoNewPrivs:\s+1/);
  assert.match(text((await spawn(options).output()).stdout), /NoNewPrivs:\s+1/);
  assert.match(text(runSync({ ...options, confine: undefined }).stdout), /NoNewPrivs:\s+0/);
}, skip);

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

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

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

Deno.test("confine: an allow list the dynamic loader cannot run under is refused, naming what it lacks", () => {
  const e = assertCoreError(
    () =>
      runSync({ program: probe, confine: { seccomp: { allow: ["read", "write", "exit_group"] } } }),
    "InvalidArgument",
  );
  assert.match(e.message, /dynamically linked/);
  assert.match(e.message, /mmap, mprotect, openat, close/);
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
