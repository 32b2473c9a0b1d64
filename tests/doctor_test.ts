/** `doctor()` built from injected facts: pretend to be devices this machine is not. */
import assert from "node:assert/strict";
import { buildDoctorReport, type DoctorInputs } from "../android/doctor.ts";
import { CoreError } from "../mod.ts";
import { posixSpawnCaps } from "../ffi/platform/capabilities.ts";
import type { Platform } from "../mod.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";

const bionic = (api: number, kernel: readonly [number, number] = [4, 19]) =>
  pretendAndroid(api, { kernel });

const TERMUX_ENV = {
  PREFIX: "/data/data/com.termux/files/usr",
  HOME: "/data/data/com.termux/files/home",
  PATH: "/data/data/com.termux/files/usr/bin",
};

function inputs(platform: Platform, over: Partial<DoctorInputs> = {}): DoctorInputs {
  return {
    platform,
    helper: new CoreError(
      "NativeHelperUnavailable",
      "load native helper",
      "no prebuilt for this arch",
    ),
    posixSpawn: posixSpawnCaps(platform, () => true),
    confinement: { seccomp: "filter", filters: 1, noNewPrivs: false },
    env: TERMUX_ENV,
    su: null,
    phantomKiller: null,
    systemLinker: null,
    landlockAbi: null,
    ...over,
  };
}

Deno.test("doctor: Android API 27 without the helper cannot spawn at all, and says what to do", () => {
  const r = buildDoctorReport(inputs(bionic(27)));
  assert.deepEqual(r.backends, { vfork: false, fork: false, posixSpawn: false });
  assert.equal(r.exitSource, "sigchld");
  assert.equal(r.syscalls.pidfd_open, false);
  assert.equal(r.syscalls.close_range, false);
  const problems = r.warnings.map((w) => w.problem).join("\n");
  assert.match(problems, /native helper is not loaded/);
  assert.match(problems, /posix_spawn needs Android API 28; this device is API 27/);
  for (const w of r.warnings) assert.ok(w.fix.length > 0, `no fix for: ${w.problem}`);
});

Deno.test("doctor: Termux paths, su, the phantom-process warning when the killer is on", () => {
  const su = {
    path: "/data/data/com.termux/files/usr/bin/su",
    flavour: "magisk",
    version: "27",
  } as const;
  const killer = { monitorEnabled: null, maxPhantomProcesses: null, active: true };
  const r = buildDoctorReport(inputs(bionic(33, [5, 10]), { su, phantomKiller: killer }));
  assert.deepEqual(r.termux, {
    prefix: TERMUX_ENV.PREFIX,
    home: TERMUX_ENV.HOME,
    tmpdir: `${TERMUX_ENV.PREFIX}/tmp`,
  });
  assert.equal(r.su, su);
  assert.equal(r.exitSource, "pidfd");
  assert.equal(r.syscalls.close_range, true);
  assert.equal(r.syscalls.clone3, false);
  assert.ok(r.warnings.some((w) => /beyond 32 .*phantom/.test(w.problem)));
  const off = { monitorEnabled: false, maxPhantomProcesses: null, active: false };
  const r34 = buildDoctorReport(inputs(bionic(34, [5, 10]), { phantomKiller: off }));
  assert.ok(!r34.warnings.some((w) => /child processes beyond/.test(w.problem)));
  const unknown = { monitorEnabled: null, maxPhantomProcesses: null, active: null };
  const r31 = buildDoctorReport(inputs(bionic(31, [5, 10]), { phantomKiller: unknown }));
  assert.ok(r31.warnings.some((w) => /unreadable/.test(w.problem)));
  const r29 = buildDoctorReport(inputs(bionic(29, [5, 10])));
  assert.equal(r29.exitSource, "sigchld", "API 29 forbids pidfd_open even on a new kernel");
  assert.ok(!r29.warnings.some((w) => /child processes beyond/.test(w.problem)));
  assert.equal(r29.su, null);
});

Deno.test("doctor: Android outside Termux is warned about; glibc Linux is not", () => {
  const noTermux = buildDoctorReport(inputs(bionic(30), { env: { PATH: "/system/bin" } }));
  assert.equal(noTermux.termux, null);
  assert.ok(noTermux.warnings.some((w) => /without Termux/.test(w.problem)));
  const linux = pretendGlibc();
  const r = buildDoctorReport(inputs(linux, { env: { PATH: "/usr/bin" } }));
  assert.equal(r.warnings.filter((w) => /Termux|phantom/.test(w.problem)).length, 0);
});

Deno.test("doctor: inside Termux it names the system linker app-data programs run through", () => {
  const on = buildDoctorReport(inputs(bionic(34), { systemLinker: "/system/bin/linker64" }));
  assert.equal(on.systemLinker, "/system/bin/linker64");
  const outside = buildDoctorReport(
    inputs(bionic(34), { env: {}, systemLinker: "/system/bin/linker64" }),
  );
  assert.equal(outside.systemLinker, null, "outside Termux there are no app-data programs to run");
});

Deno.test("doctor: what confine can do here", () => {
  const none = buildDoctorReport(inputs(bionic(34)));
  assert.deepEqual(none.confine, { noNewPrivs: true, seccompFilter: true, landlockAbi: null });
  const linux = buildDoctorReport(inputs(bionic(34), {
    landlockAbi: 7,
    confinement: { seccomp: "unknown", filters: null, noNewPrivs: false },
  }));
  assert.deepEqual(linux.confine, { noNewPrivs: true, seccompFilter: false, landlockAbi: 7 });
});
