/**
 * The Android layer on a machine that is not Android: bionic's property API through a fake
 * library with the same symbols, getprop through a fake tool, Termux through a fake prefix,
 * the phantom killer through fake tool output, and `platform()` from injected inputs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { phantomKiller, syscallAllowed, termuxDirs } from "../android/mod.ts";
import {
  getpropReader,
  parseGetprop,
  PROPERTY_SYMBOLS,
  propertyReader,
  sharedGetpropReader,
} from "../ffi/os/properties.ts";
import { termuxInterpreter } from "../ffi/plan/termux_exec.ts";
import { phantomKillerFrom } from "../android/phantom.ts";
import { platformFacts } from "../android/platform.ts";
import { platformFrom } from "../ffi/platform/platform.ts";
import { SYSCALL_GATES } from "../ffi/platform/syscall_gate.ts";
import { tempDir, termuxSearchPath } from "../ffi/platform/termux.ts";
import { runSync } from "../mod.ts";
import { BACKENDS } from "./_backends.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
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

Deno.test("platformFacts: Termux, seccomp, device and su from inputs", () => {
  const props: Record<string, string> = {
    "ro.product.model": "Pixel 8",
    "ro.board.platform": "zuma",
    "ro.product.cpu.abi": "arm64-v8a",
    "ro.build.version.release": "14",
  };
  const su = { path: "/debug_ramdisk/su", flavour: "magisk", version: "27.0:MAGISKSU" } as const;
  const facts = platformFacts({
    platform: pretendAndroid(34),
    kernelRelease: "5.15.123-android14",
    env: { PREFIX: "/data/data/com.termux/files/usr", HOME: "/data/data/com.termux/files/home" },
    seccomp: "filter",
    properties: (name) => props[name] ?? null,
    su: () => su,
  });
  assert.equal(facts.androidApi, 34);
  assert.deepEqual(facts.device, {
    model: "Pixel 8",
    soc: "zuma",
    abi: "arm64-v8a",
    release: "14",
  });
  assert.equal(facts.termux?.tmpdir, "/data/data/com.termux/files/usr/tmp");
  assert.equal(facts.seccomp, "filter");
  assert.equal(facts.su, su);
  const linux = platformFacts({
    platform: pretendGlibc(),
    kernelRelease: "6.1.0",
    env: { PREFIX: "/usr" },
    seccomp: "disabled",
    properties: null,
    su: () => null,
  });
  assert.deepEqual([linux.device, linux.termux, linux.su], [null, null, null]);
});

Deno.test("Termux directories, temp dir and search path", () => {
  const prefix = "/data/data/com.termux/files/usr";
  assert.deepEqual(termuxDirs({ PREFIX: `${prefix}/` }), {
    prefix,
    home: "/data/data/com.termux/files/home",
    tmpdir: `${prefix}/tmp`,
  });
  assert.equal(termuxDirs({ PREFIX: "/opt/x", TERMUX_VERSION: "0.118" })?.prefix, "/opt/x");
  assert.equal(termuxDirs({ PREFIX: "/usr" }), null, "a PREFIX alone is not Termux");
  assert.equal(tempDir({ PREFIX: prefix }), `${prefix}/tmp`);
  assert.equal(tempDir({ PREFIX: prefix, TMPDIR: "/t" }), "/t");
  assert.equal(tempDir({}), "/tmp");
  assert.equal(termuxSearchPath(`${prefix}/bin`, prefix), `${prefix}/bin:/system/bin`);
  assert.equal(termuxSearchPath("/system/bin:/x", prefix), "/system/bin:/x");
  assert.equal(termuxSearchPath(undefined, prefix), `${prefix}/bin:/system/bin`);
});

Deno.test("termuxInterpreter maps /bin and /usr/bin into $PREFIX/bin, as termux-exec does", () => {
  const p = "/data/data/com.termux/files/usr";
  assert.equal(termuxInterpreter("/usr/bin/env", p), `${p}/bin/env`);
  assert.equal(termuxInterpreter("/bin/sh", p), `${p}/bin/sh`);
  assert.equal(termuxInterpreter("/usr/local/bin/node", p), null, "termux-exec leaves it");
  assert.equal(termuxInterpreter("/sbin/ip", p), null);
  assert.equal(termuxInterpreter(`${p}/bin/sh`, p), null);
  assert.equal(termuxInterpreter("/system/bin/sh", p), null);
  assert.equal(termuxInterpreter("/usr/lib/x/y", p), null);
});

/** A fake Termux prefix whose bin/env and bin/sh announce themselves, and a scripts dir. */
function fakeTermux(): {
  root: string;
  prefix: string;
  script: (name: string, body: string) => string;
} {
  const root = Deno.makeTempDirSync({ prefix: "coreshift-termux-" });
  const prefix = join(root, "usr");
  Deno.mkdirSync(join(prefix, "bin"), { recursive: true });
  const write = (path: string, body: string) => Deno.writeTextFileSync(path, body, { mode: 0o755 });
  write(join(prefix, "bin", "env"), '#!/bin/sh\nprintf "fake-env:"; printf "[%s]" "$@"\n');
  write(join(prefix, "bin", "sh"), '#!/bin/sh\nprintf "fake-sh:"; printf "[%s]" "$@"\n');
  write(join(prefix, "bin", "only-in-prefix"), "#!/bin/dash\necho found-in-prefix\n");
  return {
    root,
    prefix,
    script: (name, body) => {
      const path = join(root, name);
      write(path, body);
      return path;
    },
  };
}

for (const backend of BACKENDS) {
  spawnTest(`termux #! rewrite with a fake prefix (${backend})`, () => {
    const t = fakeTermux();
    try {
      const viaEnv = t.script("a.py", "#!/usr/bin/env python3 -u\nprint(1)\n");
      const out = runSync({ backend, program: viaEnv, args: ["x y", "z"], termuxPrefix: t.prefix });
      assert.equal(text(out.stdout), `fake-env:[python3 -u][${viaEnv}][x y][z]`);
      const viaSh = t.script("b.sh", "#!/bin/sh\necho real\n");
      const sh = runSync({ backend, program: viaSh, termuxPrefix: t.prefix });
      assert.equal(text(sh.stdout), `fake-sh:[${viaSh}]`);
      const off = runSync({ backend, program: viaSh, termuxPrefix: null });
      assert.equal(text(off.stdout), "real\n", "null turns the rewrite off");
      const other = t.script("c.sh", "#!/bin/dash\necho kept\n");
      assert.equal(
        text(runSync({ backend, program: other, termuxPrefix: t.prefix }).stdout),
        "kept\n",
      );
    } finally {
      Deno.removeSync(t.root, { recursive: true });
    }
  });
}

spawnTest("termux lookup: no PATH means $PREFIX/bin then /system/bin", () => {
  const t = fakeTermux();
  try {
    const out = runSync({ program: "only-in-prefix", clearEnv: true, termuxPrefix: t.prefix });
    assert.equal(text(out.stdout), "found-in-prefix\n");
    assertCoreError(
      () => runSync({ program: "only-in-prefix", clearEnv: true, termuxPrefix: null }),
      "ENOENT",
    );
  } finally {
    Deno.removeSync(t.root, { recursive: true });
  }
});

Deno.test("termuxPrefix must be absolute or null", () => {
  assertCoreError(() => runSync({ program: "true", termuxPrefix: "rel/usr" }), "InvalidArgument");
  assertCoreError(
    // deno-lint-ignore no-explicit-any
    () => runSync({ program: "true", termuxPrefix: 3 as any }),
    "InvalidArgument",
  );
});

Deno.test("phantom killer: read on API 31+, unknown when unreadable, off when disabled", () => {
  const calls: string[] = [];
  const tools = (answers: Record<string, string | null>) => (program: string) => {
    calls.push(program);
    return answers[program.split("/").pop()!] ?? null;
  };
  assert.equal(phantomKiller(30, tools({})), null);
  assert.deepEqual(calls, [], "nothing runs below API 31");
  assert.deepEqual(phantomKiller(33, tools({ settings: "null", device_config: "null" })), {
    monitorEnabled: null,
    maxPhantomProcesses: null,
    active: true,
  });
  assert.equal(phantomKiller(34, tools({ settings: "false" }))?.active, false);
  assert.equal(phantomKiller(31, tools({ device_config: "2147483647" }))?.active, false);
  assert.equal(phantomKiller(31, tools({ device_config: "64" }))?.maxPhantomProcesses, 64);
  assert.equal(phantomKiller(31, tools({}))?.active, null);
  assert.deepEqual(phantomKillerFrom("true", "32"), {
    monitorEnabled: true,
    maxPhantomProcesses: 32,
    active: true,
  });
});
