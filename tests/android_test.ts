/**
 * The Android layer on a machine that is not Android: Termux's #! rewrite and lookup through a
 * fake prefix, the phantom killer through fake tool output, and `platform()` from injected
 * inputs. Properties are in properties_test.ts, Termux's directories in termux_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { phantomKiller } from "../android/mod.ts";
import { termuxInterpreter } from "../ffi/plan/termux_exec.ts";
import { phantomKillerFrom } from "../android/phantom.ts";
import { platformFacts } from "../android/platform.ts";
import { runSync } from "../mod.ts";
import { BACKENDS } from "./_backends.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";

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
