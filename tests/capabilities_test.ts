/** What libc's posix_spawn can do per platform (ffi/platform/capabilities.ts). */
import assert from "node:assert/strict";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
import { posixSpawnCaps, type SpawnSymbol } from "../ffi/platform/capabilities.ts";

const android = (api: number, arch: "aarch64" | "x86_64" = "aarch64") =>
  pretendAndroid(api, { arch });
const glibc = (version: string) => pretendGlibc(version);

const allSymbols = () => true;
const symbolsUpTo = (present: SpawnSymbol[]) => (s: SpawnSymbol) => present.includes(s);

Deno.test("posix_spawn capabilities per bionic API level", () => {
  assert.equal(posixSpawnCaps(android(27), allSymbols).available, false);
  const api29 = posixSpawnCaps(android(29), allSymbols);
  assert.deepEqual(api29, {
    available: true,
    addchdir: false,
    addclosefrom: false,
    setsid: true,
    wantsUseVfork: true,
  });
  assert.equal(posixSpawnCaps(android(34), allSymbols).addchdir, true);
  assert.equal(posixSpawnCaps(android(34), symbolsUpTo(["posix_spawn"])).addchdir, false);
  assert.equal(
    posixSpawnCaps(android(35), allSymbols).addclosefrom,
    false,
    "bionic has no closefrom",
  );
});

Deno.test("posix_spawn capabilities per glibc version", () => {
  assert.equal(posixSpawnCaps(glibc("2.25"), allSymbols).setsid, false);
  assert.equal(posixSpawnCaps(glibc("2.26"), allSymbols).setsid, true);
  const old = posixSpawnCaps(glibc("2.28"), symbolsUpTo(["posix_spawn"]));
  assert.equal(old.addchdir, false);
  assert.equal(old.addclosefrom, false);
  assert.equal(old.wantsUseVfork, false);
});
