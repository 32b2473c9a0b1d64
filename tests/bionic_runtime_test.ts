/**
 * Real bionic at run time: tests/fixtures/bionic_driver.c, built for Android 9 (API 28) and run
 * on its bionic runtime, spawns tests/fixtures/bionic_child.c (which reports its fds, group,
 * cwd, limits and signal state) the two ways coreshift would on that device:
 *
 * - through the project's prebuilt helper, with the request fields coreshift computes for a
 *   pretend API 28 platform (fd policy mode and kept fds, process group, cwd, rlimits, the
 *   signal reset);
 * - through bionic's own `posix_spawn`, carrying out exactly the calls `planPosixSpawnCall`
 *   plans for a pretend bionic API 28.
 *
 * On x86_64 the driver first installs Android's real API 28 app seccomp filter (the calls
 * shared/bionic/policy/api28 allows, built by coreshift's own filter builder: anything else
 * ends the child with SIGSYS). arm64 runs
 * under qemu-user, which cannot install seccomp filters, so it runs unfiltered, and its child is
 * the host's native build (qemu cannot exec a foreign binary without binfmt_misc).
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ABI_TABLES } from "../ffi/abi/mod.ts";
import { CLOSE_ABOVE2, PGROUP } from "../ffi/abi/helper_request.ts";
import { childFdWork } from "../ffi/native/helper_spawn.ts";
import { planPosixSpawnCall } from "../ffi/posix_spawn/posix_spawn_call.ts";
import { posixSpawnCaps } from "../ffi/platform/capabilities.ts";
import type { PgroupMode } from "../ffi/options/options.ts";
import type { ValidFdPolicy } from "../ffi/options/validate_streams.ts";
import { appAllowlist, BIONIC_DIR, bionicMissing, type PolicyArch } from "./_android_policy.ts";
import { buildSeccompFilter } from "../ffi/confine/seccomp_filter.ts";
import { SYSCALLS_X86_64 } from "../ffi/abi/syscalls_x86_64.ts";
import { pretendAndroid } from "./_platforms.ts";

const here = new URL(".", import.meta.url).pathname;
const buildDir = join(here, ".build", "bionic");
const prebuilt = join(here, "..", "ffi", "native", "prebuilt");
const TABLE_ARCH = { x86_64: "x86_64", arm64: "aarch64" } as const;
const API = 28;
const SIGSYS = 31;

function has(program: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
    .outputSync().success;
}

function cannotRun(arch: PolicyArch): string | false {
  const missing = bionicMissing();
  if (missing) return missing;
  if (!has("clang")) return "clang is not installed";
  if (!has("ld.lld")) return "lld is not installed";
  if (arch === "arm64" && !has("qemu-aarch64-static")) return "qemu-user-static is missing";
  return false;
}

function run(cmd: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = new Deno.Command(cmd, { args: [...args], env, stdout: "piped", stderr: "piped" })
    .outputSync();
  const text = new TextDecoder();
  return { ok: r.success, out: text.decode(r.stdout), err: text.decode(r.stderr) };
}

/** The driver and child built for `arch`, and the API 28 filter (x86_64 only). */
function prepare(arch: PolicyArch) {
  Deno.mkdirSync(buildDir, { recursive: true });
  const build = (name: string, target: PolicyArch) => {
    const out = join(buildDir, `${name}-${target}`);
    const r = run(join(BIONIC_DIR, "cc.sh"), [
      target,
      String(API),
      "-O1",
      "-Wall",
      "-o",
      out,
      join(here, "fixtures", `${name}.c`),
    ]);
    assert.ok(r.ok, `building ${name} for ${target}:\n${r.err}`);
    return out;
  };
  const driver = build("bionic_driver", arch);
  // Under qemu the child must be a native binary: exec of a foreign one needs binfmt_misc.
  const child = build("bionic_child", "x86_64");
  let filter = "-";
  if (arch === "x86_64") {
    // Android's app filter as coreshift's own builder makes it: the policy's calls allowed, any
    // other one killed with SIGSYS (Android traps; either way the status is SIGSYS).
    const allowed = [...appAllowlist(API, arch)!];
    assert.deepEqual(allowed.filter((name) => !(name in SYSCALLS_X86_64)), [], "unknown names");
    filter = join(buildDir, `app-filter-api${API}-${arch}.bpf`);
    Deno.writeFileSync(
      filter,
      buildSeccompFilter(
        { mode: "allow", syscalls: allowed, action: "kill", socketFamilies: null },
        "x86_64",
      ),
    );
  }
  const driverRun = (args: readonly string[]) => {
    const r = run(join(BIONIC_DIR, "run.sh"), [arch, driver, filter, ...args], {
      BIONIC_CHILD_LIBS: join(BIONIC_DIR, "runtime", "android9-x86_64"),
    });
    assert.ok(r.ok, `driver ${args.join(" ")} failed:\n${r.out}\n${r.err}`);
    return report(r.out);
  };
  return { child, driverRun, filtered: filter !== "-" };
}

/** The driver's output as key → rest of line. */
function report(out: string): Map<string, string> {
  return new Map(
    out.trim().split("\n").map((line) => {
      const space = line.indexOf(" ");
      return space < 0 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
    }),
  );
}

function assertRan(r: Map<string, string>, what: string): void {
  assert.notEqual(r.get("status"), `signal ${SIGSYS}`, `${what}: killed by the seccomp filter`);
  assert.equal(r.get("status"), "exit 0", `${what}: ${[...r].join("; ")}`);
  assert.equal(r.get("blocked"), "", `${what}: the child's signal mask is not empty`);
  assert.equal(r.get("ignored"), "", `${what}: a signal stayed ignored`);
}

const POLICIES: readonly [string, ValidFdPolicy, string][] = [
  ["closeFrom3", { kind: "closeFrom3" }, "0 1 2"],
  ["allowlist [11, 12]", { kind: "allow", fds: [11, 12] }, "0 1 2 11 12"],
  ["cloexecOnly", { kind: "cloexecOnly" }, "0 1 2 10 11"],
];

const GROUPS: readonly ["none" | "leader" | "isolated", string][] = [["none", "0 0"], [
  "leader",
  "1 0",
], [
  "isolated",
  "1 1",
]];

for (const arch of ["x86_64", "arm64"] as const) {
  const skip = cannotRun(arch);
  const platform = pretendAndroid(API, { arch: TABLE_ARCH[arch], kernel: [4, 14] });
  const note = arch === "arm64" ? " (qemu: no seccomp filter)" : " under the API 28 app filter";

  Deno.test({
    name: `bionic ${arch}: the helper spawns with every option as planned for API 28${note}${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
    ignore: skip !== false,
    fn() {
      const { child, driverRun } = prepare(arch);
      const helper = join(prebuilt, `linux-${TABLE_ARCH[arch]}`, "libcoreshift_helper.so");
      for (const vfork of [1, 0]) {
        const backend = vfork ? "vfork" : "fork";
        const spawn = (
          o: {
            path?: string;
            policy?: ValidFdPolicy;
            pgroup?: "none" | "leader" | "isolated";
            cwd?: string;
            nofile?: number;
          },
        ) => {
          const work = childFdWork(o.policy ?? { kind: "cloexecOnly" }, platform);
          return driverRun([
            "helper",
            helper,
            child,
            o.path ?? "-",
            String(vfork),
            String(CLOSE_ABOVE2[work.closeAbove2]),
            work.keep.length ? work.keep.join(",") : "-",
            String(PGROUP[o.pgroup ?? "none"]),
            o.cwd ?? "-",
            o.nofile === undefined ? "-" : String(o.nofile),
          ]);
        };
        // Below API 33 there is no close_range: the child scans its own fd table.
        assert.equal(childFdWork({ kind: "closeFrom3" }, platform).closeAbove2, "byScan");
        for (const [name, policy, fds] of POLICIES) {
          const r = spawn({ policy });
          assertRan(r, `${backend} ${name}`);
          assert.equal(r.get("fds"), fds, `${backend} ${name}`);
        }
        for (const [pgroup, group] of GROUPS) {
          const r = spawn({ pgroup });
          assertRan(r, `${backend} pgroup ${pgroup}`);
          assert.equal(r.get("group"), group, `${backend} pgroup ${pgroup}`);
        }
        const inRoot = spawn({ cwd: "/", nofile: 64 });
        assertRan(inRoot, `${backend} cwd and rlimit`);
        assert.equal(inRoot.get("cwd"), "/");
        assert.equal(inRoot.get("nofile"), "64 64");
        const missing = spawn({ path: "/nonexistent/program" });
        assert.equal(missing.get("error"), "2 12", `${backend}: ENOENT at step execve`);
        assert.equal(missing.get("status"), "exit 127");
      }
    },
  });

  Deno.test({
    name: `bionic ${arch}: posix_spawn does exactly what coreshift plans for API 28${note}${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
    ignore: skip !== false,
    fn() {
      const { child, driverRun } = prepare(arch);
      const caps = posixSpawnCaps(platform, () => true);
      assert.equal(caps.available && caps.wantsUseVfork, true);
      // The driver's fds (see bionic_driver.c): 10, 11 inheritable; 12, 13, 20, 30 close-on-exec.
      const openFds = [0, 1, 2, 10, 11, 12, 13, 20, 30].map((fd) => ({ fd, cloexec: fd >= 12 }));
      const replay = (policy: ValidFdPolicy, pgroup: PgroupMode, rawKeep = false, pty = false) => {
        const call = planPosixSpawnCall({
          abi: ABI_TABLES[`bionic-${TABLE_ARCH[arch]}`],
          caps,
          // With a pty, the driver holds its slave at fd 14 (see bionic_driver.c).
          child: [pty ? 14 : "null", 30, "inherit"],
          devNull: 13,
          pgroup,
          fdPolicy: policy,
          cwd: null,
          openFds,
          // 12 is close-on-exec: coreshift keeps it through a close-on-exec copy (fd 20).
          keepCopies: policy.kind === "allow" && policy.fds.includes(12) && !rawKeep
            ? new Map([[12, 20]])
            : new Map(),
          controllingTty: pty ? new TextEncoder().encode("@pty") : null,
        });
        assert.equal(call.flagNames.includes("RESETIDS"), false, "RESETIDS is never set");
        const lines = [`flags ${call.flags}`, ...(pty ? ["pty"] : [])];
        if (call.pgroup !== null) lines.push(`pgroup ${call.pgroup}`);
        for (const action of call.actions) {
          if (action.op === "dup2") lines.push(`dup2 ${action.fd} ${action.newfd}`);
          else if (action.op === "close") lines.push(`close ${action.fd}`);
          else if (action.op === "open") {
            lines.push(
              `open ${action.fd} ${new TextDecoder().decode(action.path)} ${action.flags}`,
            );
          } else assert.fail(`API 28 has no ${action.op} action, yet one was planned`);
        }
        if (rawKeep) lines.push("dup2 12 12");
        const file = join(buildDir, `plan-${arch}.txt`);
        Deno.writeTextFileSync(file, lines.join("\n") + "\n");
        return driverRun(["spawn", child, file]);
      };
      for (const [name, policy, fds] of POLICIES) {
        const r = replay(policy, "none");
        assertRan(r, `posix_spawn ${name}`);
        assert.equal(r.get("fds"), fds, `posix_spawn ${name}`);
      }
      for (const [pgroup, group] of GROUPS) {
        const r = replay({ kind: "cloexecOnly" }, pgroup);
        assertRan(r, `posix_spawn pgroup ${pgroup}`);
        assert.equal(r.get("group"), group, `posix_spawn pgroup ${pgroup}`);
      }
      // Why the copy: at API 28, adddup2(fd, fd) leaves a close-on-exec fd closed in the child.
      const raw = replay({ kind: "allow", fds: [11, 12] }, "none", true);
      assertRan(raw, "posix_spawn adddup2(12, 12)");
      assert.equal(raw.get("fds"), "0 1 2 11", "bionic 28 cleared close-on-exec for dup2(fd, fd)?");
      // A pty: bionic runs setsid before the file actions, so reopening the slave makes it the
      // new session's controlling terminal.
      const tty = replay({ kind: "cloexecOnly" }, "isolated", false, true);
      assertRan(tty, "posix_spawn pty");
      assert.equal(tty.get("group"), "1 1");
      assert.equal(tty.get("ctty"), "1", "the pty slave is not the child's controlling terminal");
    },
  });
}
