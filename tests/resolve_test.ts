/**
 * resolveProgram: a path is checked as given (joined to cwd when relative), a name is searched
 * in PATH's absolute entries, and every failure is a typed error naming the path and the fix.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveProgram } from "../ffi/plan/resolve.ts";
import { libc } from "../ffi/os/libc.ts";
import { assertCoreError } from "./_harness.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("resolveProgram: PATH order, relative entries skipped, first problem reported", () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const sub of ["a", "b", "c"]) Deno.mkdirSync(join(dir, sub));
    Deno.writeTextFileSync(join(dir, "b", "tool"), "#!/bin/sh\n", { mode: 0o755 });
    Deno.writeTextFileSync(join(dir, "c", "tool"), "#!/bin/sh\n", { mode: 0o755 });
    Deno.writeTextFileSync(join(dir, "a", "plain"), "", { mode: 0o644 });
    Deno.mkdirSync(join(dir, "a", "tool")); // a directory named like the program is skipped
    const path = enc(`relative:${dir}/a:${dir}/b:${dir}/c`);
    assert.equal(dec(resolveProgram(enc("tool"), null, () => path)), `${dir}/b/tool`);
    assert.equal(dec(resolveProgram(enc("tool"), null, () => enc(`${dir}/b/`))), `${dir}/b/tool`);
    // access(X_OK) needs an x bit even for root.
    const err = assertCoreError(() => resolveProgram(enc("plain"), null, () => path), "EACCES");
    assert.equal(err.path, `${dir}/a/plain`);
    const missing = assertCoreError(
      () => resolveProgram(enc("nope"), null, () => path),
      "ENOENT",
    );
    assert.match(missing.message, /not found in PATH/);
    assert.equal(missing.path, "nope");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("resolveProgram: a path with a slash is checked as given, never searched", () => {
  let searched = false;
  const search = () => {
    searched = true;
    return enc("/bin");
  };
  assert.equal(dec(resolveProgram(enc("/bin/sh"), null, search)), "/bin/sh");
  assert.equal(searched, false);
  assert.equal(dec(resolveProgram(enc("sh"), enc("/elsewhere"), search)), "/bin/sh", "cwd unused");
  assert.equal(searched, true);
  searched = false;
  assert.equal(dec(resolveProgram(enc("./sh"), enc("/bin"), search)), "/bin/./sh");
  assert.equal(searched, false);
  assertCoreError(() => resolveProgram(enc("/tmp"), null, search), "EACCES");
  assert.equal(
    dec(resolveProgram(enc("/no/such"), null, search, false)),
    "/no/such",
    "unchecked when the child reports execve exactly",
  );
  assertCoreError(() => resolveProgram(enc("/no/such"), null, search), "ENOENT");
});
