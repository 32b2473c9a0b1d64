/**
 * Android system properties: bionic's property API over FFI, and getprop's output as the fallback for a glibc Deno.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { syscallAllowed } from "../android/mod.ts";
import {
  getpropReader,
  parseGetprop,
  PROPERTY_SYMBOLS,
  propertyReader,
  sharedGetpropReader,
} from "../ffi/os/properties.ts";
import { platformFrom } from "../ffi/platform/platform.ts";
import { SYSCALL_GATES } from "../ffi/platform/syscall_gate.ts";
import { spawnTest } from "./_harness.ts";
import { fakePropsLibrary } from "./fixtures/build.ts";

Deno.test("bionic property API over FFI: whole values, missing is null", () => {
  const lib = Deno.dlopen(fakePropsLibrary(), PROPERTY_SYMBOLS);
  try {
    const read = propertyReader(lib.symbols);
    assert.ok(read);
    assert.equal(read("ro.build.version.sdk"), "29");
    assert.equal(read("ro.product.model"), "Fake Phone 9");
    const soc = read("ro.soc.model");
    assert.ok(soc && soc.length > 92, `long value cut short: ${soc?.length}`);
    assert.equal(read("ro.empty"), "");
    assert.equal(read("no.such.property"), null);
  } finally {
    lib.close();
  }
});

Deno.test("bionic before API 26: __system_property_get only, values up to 91 bytes", () => {
  const lib = Deno.dlopen(fakePropsLibrary(), PROPERTY_SYMBOLS);
  try {
    const read = propertyReader({
      __system_property_find: null,
      __system_property_read_callback: null,
      __system_property_get: lib.symbols.__system_property_get,
    });
    assert.ok(read);
    assert.equal(read("ro.build.version.sdk"), "29");
    assert.equal(read("ro.soc.model")?.length, 91);
    assert.equal(read("no.such.property"), null);
  } finally {
    lib.close();
  }
  assert.equal(
    propertyReader({
      __system_property_find: null,
      __system_property_read_callback: null,
      __system_property_get: null,
    }),
    null,
    "glibc has none of them",
  );
});

Deno.test("getprop output: one line per property, values may span lines", () => {
  const table = parseGetprop("[ro.build.version.sdk]: [34]\n[a.b]: [two\nlines]\n[empty]: []\n");
  assert.equal(table.get("ro.build.version.sdk"), "34");
  assert.equal(table.get("a.b"), "two\nlines");
  assert.equal(table.get("empty"), "");
});

spawnTest("getprop fallback: a glibc Deno on Android learns the API level from the tool", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const tool = join(dir, "getprop");
    Deno.writeTextFileSync(tool, "#!/bin/sh\necho '[ro.build.version.sdk]: [30]'\n", {
      mode: 0o755,
    });
    const facts = {
      libc: "glibc",
      libcVersion: "2.36",
      arch: "aarch64",
      osRelease: "5.4.0",
    } as const;
    const onAndroid = platformFrom({ ...facts, androidProperties: () => getpropReader(tool) });
    assert.equal(onAndroid.os, "android");
    assert.equal(onAndroid.androidApi, 30);
    assert.equal(syscallAllowed("pidfd_open", onAndroid), true);
    assert.equal(syscallAllowed("close_range", onAndroid), false, "seccomp applies to glibc too");
    assert.equal(getpropReader(join(dir, "missing")), null, "no getprop: not Android");
    Deno.writeTextFileSync(tool, "#!/bin/sh\nexit 1\n");
    assert.equal(getpropReader(tool), "unreadable");
    const blind = platformFrom({ ...facts, androidProperties: () => "unreadable" });
    assert.equal(blind.os, "android");
    assert.equal(blind.androidApi, null);
    for (const name of Object.keys(SYSCALL_GATES) as (keyof typeof SYSCALL_GATES)[]) {
      assert.equal(syscallAllowed(name, blind), false, `${name}: unknown API must stay closed`);
    }
    const linux = platformFrom({ ...facts, androidProperties: () => null });
    assert.deepEqual([linux.os, linux.androidApi, linux.kernel], ["linux", null, [5, 4]]);
    const bionic = platformFrom({
      ...facts,
      libc: "bionic",
      libcVersion: "api33",
      androidProperties: () => null,
    });
    assert.deepEqual([bionic.os, bionic.androidApi], ["android", 33]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

spawnTest("getprop runs once per process however many callers ask", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const tool = join(dir, "getprop");
    const runs = join(dir, "runs");
    Deno.writeTextFileSync(
      tool,
      `#!/bin/sh\necho run >> '${runs}'\necho '[ro.build.version.sdk]: [29]'\n`,
      { mode: 0o755 },
    );
    const first = sharedGetpropReader(tool);
    const second = sharedGetpropReader(tool);
    assert.equal(typeof first, "function");
    assert.equal(second, first, "the second caller gets the first reader");
    assert.equal((first as (name: string) => string | null)("ro.build.version.sdk"), "29");
    assert.equal(Deno.readTextFileSync(runs), "run\n", "the tool ran exactly once");
    assert.equal(sharedGetpropReader(join(dir, "missing")), null);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
