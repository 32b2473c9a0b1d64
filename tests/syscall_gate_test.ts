/** The syscall gate (ffi/platform/syscall_gate.ts): which calls each platform may make. */
import assert from "node:assert/strict";
import { syscallAllowed } from "../android/mod.ts";
import { SYSCALL_GATES } from "../ffi/platform/syscall_gate.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
import { openPidfd } from "../ffi/platform/process_control.ts";
import { closeFd } from "../ffi/os/fds.ts";
import { childFdWork } from "../ffi/native/helper_spawn.ts";
import { libc } from "../ffi/os/libc.ts";
import { tsFiles } from "./_sources.ts";

libc(); // opened once for the whole file, not inside a test's resource sanitizer

const android = (api: number, arch: "aarch64" | "x86_64" = "aarch64") =>
  pretendAndroid(api, { arch });
const glibc = (version: string) => pretendGlibc(version);

Deno.test("syscall gates: what each Android API level may call", () => {
  const expected: Record<number, string[]> = {
    // setresgid and setgroups: allowed to apps until API 27, refused from 28.
    26: ["setresgid", "setgroups"],
    29: [],
    30: ["pidfd_open"],
    31: ["pidfd_open", "pidfd_send_signal", "pidfd_getfd"],
    33: ["pidfd_open", "pidfd_send_signal", "pidfd_getfd", "close_range"],
    // Landlock: no release's app filter allows it.
    35: Object.keys(SYSCALL_GATES).filter((s) =>
      !s.startsWith("landlock") && s !== "setresgid" && s !== "setgroups"
    ),
  };
  for (const [api, allowed] of Object.entries(expected)) {
    const platform = { ...android(Number(api)), kernel: [6, 6] as const };
    const got = Object.keys(SYSCALL_GATES).filter((s) =>
      syscallAllowed(s as keyof typeof SYSCALL_GATES, platform)
    );
    assert.deepEqual(got.sort(), [...allowed].sort(), `API ${api}`);
  }
});

Deno.test("syscall gates: an old kernel closes the gate even on a new API level", () => {
  assert.equal(syscallAllowed("pidfd_open", { ...android(35), kernel: [5, 2] }), false);
  assert.equal(syscallAllowed("close_range", { ...glibc("2.36"), kernel: [5, 8] }), false);
  assert.equal(syscallAllowed("close_range", glibc("2.36")), true);
  assert.equal(
    syscallAllowed("pidfd_open", { ...android(35), androidApi: null, os: "android" }),
    false,
  );
});

Deno.test("gated calls per API level: pidfd_open made from API 30, close_range from 33", () => {
  for (const api of [26, 29, 30, 31, 33, 35]) {
    const platform = {
      ...android(api, Deno.build.arch as "x86_64" | "aarch64"),
      kernel: [6, 6] as const,
    };
    // The real call, on this host's kernel: a pidfd comes back only where the gate opens.
    const fd = openPidfd(Deno.pid, platform);
    assert.equal(fd >= 0, api >= 30, `API ${api}: pidfd_open ${fd >= 0 ? "made" : "not made"}`);
    if (fd >= 0) closeFd(fd);
    const work = childFdWork({ kind: "closeFrom3" }, platform);
    assert.equal(work.closeAbove2, api >= 33 ? "byRange" : "byScan", `API ${api}: fds closed`);
  }
});

Deno.test("every gated syscall in the code sits behind its gate", () => {
  const root = new URL("../", import.meta.url);
  const files = ["ffi/", "android/", "cli/"].flatMap((dir) => tsFiles(new URL(dir, root).pathname));
  let uses = 0;
  for (const file of files) {
    if (file.includes("/abi/")) continue; // the tables themselves
    const source = Deno.readTextFileSync(file);
    for (const name of Object.keys(SYSCALL_GATES)) {
      if (!source.includes(`kernel.syscalls.${name}`)) continue;
      uses++;
      assert.ok(source.includes(`syscallAllowed("${name}"`), `${file} calls ${name} ungated`);
    }
    if (source.includes(`"closeAbove2"`)) {
      uses++;
      assert.ok(source.includes(`syscallAllowed("close_range"`), `${file}: close_range ungated`);
    }
  }
  assert.ok(uses >= 2, "the scan found the known gated calls");
});
