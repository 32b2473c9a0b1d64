/**
 * Where the native helper is cached, and that a cached file is replaced whole.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheDir, writeAtomic } from "../ffi/native/cache.ts";

Deno.test("cache: writes are atomic (temp file + rename) and leave no temp file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const target = join(dir, "sub", "file.so");
    writeAtomic(target, new Uint8Array([1, 2, 3]));
    const first = Deno.statSync(target);
    writeAtomic(target, new Uint8Array([4, 5, 6, 7]));
    const second = Deno.statSync(target);
    assert.deepEqual(Deno.readFileSync(target), new Uint8Array([4, 5, 6, 7]));
    assert.notEqual(first.ino, second.ino, "replaced by rename, never rewritten in place");
    assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["file.so"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("cache dir: CORESHIFT_CACHE, then XDG, then HOME (Termux-aware)", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(cacheDir(env({ CORESHIFT_CACHE: "/x", HOME: "/h" })), "/x");
  assert.equal(cacheDir(env({ XDG_CACHE_HOME: "/xdg", HOME: "/h" })), "/xdg/coreshift");
  const termuxHome = "/data/data/com.termux/files/home";
  assert.equal(cacheDir(env({ HOME: termuxHome })), `${termuxHome}/.cache/coreshift`);
});
