/**
 * planSpawn: options become what a backend hands to libc, before any fd or child exists:
 * argv with argv0, the environment merged, removed or cleared, the program found in the PATH
 * the child will have, and what posix_spawn cannot do refused up front.
 * @module
 */
import assert from "node:assert/strict";
import type { SpawnOptions } from "../mod.ts";
import { planSpawn } from "../ffi/plan/plan.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { hostPosixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { libc } from "../ffi/os/libc.ts";
import { readCStringArray } from "./_cstring_read.ts";
import { assertCoreError } from "./_harness.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

const plan = (options: SpawnOptions, backend: "fork" | "posixSpawn" = "fork") =>
  planSpawn(validateOptions(options), backend, hostPosixSpawnCaps());
const text = (b: Uint8Array) => new TextDecoder().decode(b.subarray(0, b.indexOf(0)));

Deno.test("planSpawn: argv is argv0 then the args; the path is resolved and NUL-ended", () => {
  const p = plan({ program: "sh", args: ["-c", "x"], argv0: "my-sh" });
  assert.deepEqual(readCStringArray(p.argv), ["my-sh", "-c", "x"]);
  assert.match(text(p.path), /\/sh$/);
  assert.deepEqual(readCStringArray(plan({ program: "sh" }).argv), ["sh"], "argv0 is the program");
});

Deno.test("planSpawn: no env option passes environ as it is; env merges, overrides, removes", () => {
  assert.equal(plan({ program: "true" }).envp, null, "the child gets our environ unchanged");
  const home = Deno.env.get("HOME");
  const merged = readCStringArray(
    plan({ program: "true", env: { CS_NEW: "1", HOME: "/elsewhere", PATH: null } }).envp!,
  );
  assert.ok(merged.includes("CS_NEW=1"));
  assert.ok(merged.includes("HOME=/elsewhere"));
  if (home) assert.ok(!merged.includes(`HOME=${home}`), "overridden, not duplicated");
  assert.equal(merged.filter((e) => e.startsWith("HOME=")).length, 1);
  assert.ok(!merged.some((e) => e.startsWith("PATH=")), "null removes");
  assert.deepEqual(
    readCStringArray(plan({ program: "/bin/true", clearEnv: true, env: { ONLY: "x" } }).envp!),
    ["ONLY=x"],
  );
});

Deno.test("planSpawn: a bare name is found in the PATH the child will have", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/cs-only-here`, "#!/bin/sh\n", { mode: 0o755 });
    const p = plan({ program: "cs-only-here", env: { PATH: dir } });
    assert.equal(text(p.path), `${dir}/cs-only-here`);
    assertCoreError(() => plan({ program: "cs-only-here" }), "ENOENT");
    const bare = plan({ program: "sh", clearEnv: true });
    assert.match(text(bare.path), /^\/(usr\/local\/bin|usr\/bin|bin)\/sh$/, "no PATH: the default");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("planSpawn: posix_spawn's cwd is checked here, with the path named", () => {
  const err = assertCoreError(
    () => plan({ program: "/bin/true", cwd: "/no/such/dir" }, "posixSpawn"),
    "ENOENT",
  );
  assert.equal(err.path, "/no/such/dir");
});
