/**
 * `confine` with seccomp on real children on this kernel: a denied `socket(AF_INET)` while
 * AF_UNIX works, no socket through io_uring either, the kill action ending the child with
 * SIGSYS, no_new_privs. The filter itself is tested in seccomp_filter_test.ts, Landlock in
 * landlock_test.ts, bad rules in confine_options_test.ts. qemu-user cannot install seccomp
 * filters, so the spawning cases say so and are skipped there.
 * @module
 */
import assert from "node:assert/strict";
import { runSync, spawn, type SpawnOptions } from "../mod.ts";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { spawnTest, text } from "./_harness.ts";
import { CONFINE_SKIP as skip, confined, probe } from "./_confined.ts";

const { errno, addressFamilies } = LINUX_COMMON;

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
