/**
 * Termux's exec rules, done in the parent because coreshift's exec bypasses termux-exec: `/bin/X`
 * and `/usr/bin/X` run `$PREFIX/bin/X`, and where Android forbids an app to exec its own files the
 * program runs through the system linker. Tested with a fake prefix (under a fake app data
 * directory) and a fake linker that logs its argv, on every backend and entry point.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSync, spawn } from "../mod.ts";
import { systemLinkerExecOn } from "../ffi/platform/termux.ts";
import { appDataDirOf } from "../ffi/plan/termux_exec.ts";
import { BACKENDS } from "./_backends.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";
import { fakeLinkerPath, probePath } from "./fixtures/build.ts";

const linker = fakeLinkerPath();
const probe = probePath();

/** A fake app data dir with a Termux prefix (`DATA/files/usr`) holding an ELF and two scripts. */
function fakeApp() {
  const data = Deno.makeTempDirSync({ prefix: "coreshift-app-" });
  const prefix = join(data, "files", "usr");
  const bin = join(prefix, "bin");
  Deno.mkdirSync(bin, { recursive: true });
  const write = (path: string, body: string) => Deno.writeTextFileSync(path, body, { mode: 0o755 });
  write(join(bin, "env"), '#!/bin/dash\nprintf "fake-env:"; printf "[%s]" "$@"\n');
  write(join(bin, "sh"), '#!/bin/dash\nprintf "fake-sh:"; printf "[%s]" "$@"\n');
  Deno.copyFileSync(probe, join(bin, "probe"));
  const log = join(data, "linker.log");
  return {
    data,
    prefix,
    bin,
    log,
    logged: () => {
      try {
        return Deno.readTextFileSync(log).trim().split("\n").filter(Boolean);
      } catch {
        return [];
      }
    },
    [Symbol.dispose]: () => Deno.removeSync(data, { recursive: true }),
  };
}

Deno.test("appDataDirOf: Termux's data dir for its prefix, else the prefix's parent", () => {
  assert.equal(appDataDirOf("/data/data/com.termux/files/usr"), "/data/data/com.termux");
  assert.equal(appDataDirOf("/opt/t/usr"), "/opt/t");
});

Deno.test("system linker exec: termux-exec's rules by API level, mode, uid and SELinux context", () => {
  const app = {
    androidApi: 34,
    mode: undefined,
    euid: 10123,
    seContext: "u:r:untrusted_app:s0:c1",
  };
  assert.equal(systemLinkerExecOn(app), true, "an app with targetSdk ≥ 29 needs it");
  assert.equal(systemLinkerExecOn({ ...app, androidApi: 28 }), false, "no linker exec before 29");
  assert.equal(systemLinkerExecOn({ ...app, androidApi: null }), false);
  assert.equal(systemLinkerExecOn({ ...app, seContext: "u:r:untrusted_app_27:s0:c1" }), false);
  assert.equal(systemLinkerExecOn({ ...app, seContext: "u:r:untrusted_app_25:s0" }), false);
  assert.equal(systemLinkerExecOn({ ...app, seContext: "u:r:runas_app:s0" }), false);
  assert.equal(systemLinkerExecOn({ ...app, seContext: null }), false, "no SELinux: exempt");
  assert.equal(systemLinkerExecOn({ ...app, euid: 0 }), false, "root may exec app data");
  assert.equal(systemLinkerExecOn({ ...app, euid: 2000 }), false, "so may shell");
  assert.equal(systemLinkerExecOn({ ...app, mode: "disable" }), false);
  const exempt = { ...app, seContext: "u:r:untrusted_app_27:s0" };
  assert.equal(systemLinkerExecOn({ ...exempt, mode: "force" }), true);
  assert.equal(systemLinkerExecOn({ ...exempt, mode: "force", euid: 0 }), false);
  assert.equal(systemLinkerExecOn({ ...exempt, mode: "force_all", euid: 0 }), true);
  assert.equal(systemLinkerExecOn({ ...exempt, mode: "force_all", androidApi: 28 }), false);
});

Deno.test("systemLinker must be absolute or null", () => {
  assertCoreError(() => runSync({ program: "true", systemLinker: "linker64" }), "InvalidArgument");
});

for (const backend of BACKENDS) {
  spawnTest(`[${backend}] /usr/bin/X and /bin/X run $PREFIX/bin/X when it exists`, () => {
    using app = fakeApp();
    const base = { backend, termuxPrefix: app.prefix, systemLinker: null } as const;
    const env = runSync({ ...base, program: "/usr/bin/env", args: ["a b", "c"] });
    assert.equal(text(env.stdout), "fake-env:[a b][c]");
    const sh = runSync({ ...base, program: "/bin/sh", args: ["-c", "x"] });
    assert.equal(text(sh.stdout), "fake-sh:[-c][x]");
    // Not in $PREFIX/bin: the path stays as given.
    assert.equal(text(runSync({ ...base, program: "/bin/echo", args: ["kept"] }).stdout), "kept\n");
    // Without a prefix nothing is rewritten.
    const off = runSync({
      backend,
      program: "/bin/sh",
      args: ["-c", "echo real"],
      termuxPrefix: null,
    });
    assert.equal(text(off.stdout), "real\n");
  });

  spawnTest(
    `[${backend}] system linker exec: app-data programs run as linker PATH ARGS`,
    async () => {
      using app = fakeApp();
      const base = {
        backend,
        termuxPrefix: app.prefix,
        systemLinker: linker,
        env: { FAKE_LINKER_LOG: app.log },
      } as const;
      const elf = join(app.bin, "probe");
      const out = runSync({ ...base, program: elf, args: ["argv", "x y", "z"], argv0: "my-probe" });
      assert.equal(text(out.stdout), "x y\0z\0");
      assert.deepEqual(
        app.logged(),
        [`[my-probe][${elf}][argv][x y][z]`],
        "argv0 as the user gave it",
      );

      // A script under the app data: its interpreter is mapped, then runs through the linker.
      const script = join(app.data, "job.sh");
      Deno.writeTextFileSync(script, "#!/bin/sh\necho real\n", { mode: 0o755 });
      const viaAsync = await spawn({ ...base, program: script, args: ["1"] }).output();
      assert.equal(text(viaAsync.stdout), `fake-sh:[${script}][1]`);
      assert.equal(app.logged()[1], `[${script}][${join(app.bin, "sh")}][${script}][1]`);

      // A program outside the app data is exec'd directly.
      const direct = runSync({ ...base, program: "/bin/echo", args: ["direct"] });
      assert.equal(text(direct.stdout), "direct\n");
      assert.equal(app.logged().length, 2, "the linker was not used");
    },
  );
}
