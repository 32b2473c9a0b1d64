/**
 * confine options: bad rules are typed errors before anything starts; an allow list the
 * dynamic loader cannot run under is refused, naming what it lacks.
 * @module
 */
import assert from "node:assert/strict";
import { runSync, type SpawnOptions } from "../mod.ts";
import { assertCoreError } from "./_harness.ts";
import { probe } from "./_confined.ts";

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

Deno.test("confine: an allow list the dynamic loader cannot run under is refused, naming what it lacks", () => {
  const e = assertCoreError(
    () =>
      runSync({ program: probe, confine: { seccomp: { allow: ["read", "write", "exit_group"] } } }),
    "InvalidArgument",
  );
  assert.match(e.message, /dynamically linked/);
  assert.match(e.message, /mmap, mprotect, openat, close/);
});
