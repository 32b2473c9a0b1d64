/**
 * The glibc ABI tables against the C compiler, for both arches: tests/fixtures/abi_dump.c prints
 * every size, offset and constant the tables hold; the helper's request struct and its syscall
 * numbers are checked by static assertions compiled with the helper's own flags. aarch64 is
 * cross-compiled and its dump runs under qemu-user. The bionic tables are checked against
 * bionic's own headers in bionic_test.ts.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ABI_TABLES, type AbiTable, type ArchName } from "../ffi/abi/mod.ts";
import { HELPER_CFLAGS } from "../ffi/native/compile.ts";
import { STEP } from "../ffi/native/steps.ts";
import { CLOSE_ABOVE2, PGROUP, SET_IDS } from "../ffi/abi/helper_request.ts";
import { probeAbi, probeAbiAgainst } from "../android/abi_probe.ts";
import { libc } from "../ffi/os/libc.ts";
import "./_harness.ts"; // loads libc before any test, so no test is charged with it
import { differences, flattenTable, parseDump } from "./_abi_compare.ts";

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, ".build");
const helperSource = join(here, "..", "ffi", "native", "child_setup.c");

/** How to build and run for one arch, or why that cannot be done on this machine. */
interface Target {
  readonly arch: ArchName;
  readonly compiler: string;
  /** Prefix to run a binary of this arch (qemu for aarch64). */
  readonly runner: readonly string[];
}

const TARGETS: readonly Target[] = [
  { arch: "x86_64", compiler: "cc", runner: [] },
  { arch: "aarch64", compiler: "aarch64-linux-gnu-gcc", runner: ["qemu-aarch64-static"] },
];

function has(program: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Children run natively (x86_64 even when this Deno is emulated), so check the tools by name. */
function missingTool(target: Target): string | false {
  for (const tool of [target.compiler, ...target.runner]) {
    if (!has(tool)) return `${tool} is not installed`;
  }
  return false;
}

function run(cmd: string, args: readonly string[]): string {
  const out = new Deno.Command(cmd, { args: [...args], stderr: "piped", stdout: "piped" })
    .outputSync();
  const text = new TextDecoder();
  assert.ok(out.success, `${cmd} ${args.join(" ")} failed:\n${text.decode(out.stderr)}`);
  return text.decode(out.stdout);
}

Deno.test("flattenTable sees nested numbers and skips identity fields", () => {
  const flat = flattenTable(ABI_TABLES["glibc-x86_64"]);
  assert.equal(flat.get("kernel.epollEvent.size"), 12);
  assert.equal(flat.get("kernel.common.signals.SIGKILL"), 9);
  assert.equal(flat.has("libraryName"), false);
  assert.deepEqual(
    differences(new Map([["a", 1], ["b", 2]]), new Map([["a", 1], ["b", 3], ["c", 4]])),
    ["b: table 2, C 3", "c: printed by C, not in the table"],
  );
});

for (const target of TARGETS) {
  const skip = missingTool(target);
  Deno.test({
    name: `ABI table glibc-${target.arch} matches the C compiler${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
    ignore: skip !== false,
    fn() {
      Deno.mkdirSync(buildDir, { recursive: true });
      const exe = join(buildDir, `abi_dump-${target.arch}`);
      run(target.compiler, ["-O2", "-static", "-o", exe, join(here, "fixtures", "abi_dump.c")]);
      const printed = parseDump(run(target.runner[0] ?? exe, target.runner.length ? [exe] : []));
      const table = flattenTable(ABI_TABLES[`glibc-${target.arch}`]);
      assert.ok(table.size > 100, `only ${table.size} numbers in the table?`);
      assert.deepEqual(differences(table, printed), []);
    },
  });

  Deno.test({
    name: `helper request struct and syscall numbers, ${target.arch}, match the compiler${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
    ignore: skip !== false,
    fn() {
      const layout = ABI_TABLES[`glibc-${target.arch}`].helperRequest;
      const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const asserts = [
        `_Static_assert(CS_ABI_VERSION == ${layout.abiVersion}, "abiVersion");`,
        `_Static_assert(sizeof(struct cs_request) == ${layout.size}, "size");`,
        `_Static_assert(sizeof(struct cs_rlimit) == ${layout.rlimitSize}, "rlimitSize");`,
        ...Object.entries(layout.offsets).map(([field, offset]) =>
          `_Static_assert(__builtin_offsetof(struct cs_request, ${snake(field)}) == ${offset}, ` +
          `"offset of ${field}");`
        ),
        // The enums the request carries, as the TypeScript tables give them.
        ...Object.entries({
          CS_PGROUP_NONE: PGROUP.none,
          CS_PGROUP_LEADER: PGROUP.leader,
          CS_PGROUP_SESSION: PGROUP.isolated,
          CS_PGROUP_JOIN: PGROUP.join,
          CLOSE_NONE: CLOSE_ABOVE2.none,
          CLOSE_BY_RANGE: CLOSE_ABOVE2.byRange,
          CLOSE_BY_SCAN: CLOSE_ABOVE2.byScan,
          CS_DROP_GROUPS: SET_IDS.dropGroups,
          CS_SET_GID: SET_IDS.gid,
          CS_SET_UID: SET_IDS.uid,
        }).map(([name, value]) => `_Static_assert(${name} == ${value}, "${name}");`),
        ...Object.entries(STEP).map(([name, value]) =>
          `_Static_assert(${name} == ${value}, "${name}");`
        ),
      ];
      const helperText = Deno.readTextFileSync(helperSource);
      const sysNames = new Set([...helperText.matchAll(/#define SYS_(\w+) \d+/g)].map((m) => m[1]));
      assert.ok(sysNames.size >= 10, "the helper's syscall table was not found");
      for (const name of sysNames) {
        asserts.push(`_Static_assert(SYS_${name} == __NR_${name}, "SYS_${name}");`);
      }
      Deno.mkdirSync(buildDir, { recursive: true });
      const check = join(buildDir, `helper_layout_check-${target.arch}.c`);
      Deno.writeTextFileSync(
        check,
        [`#include "${helperSource}"`, "#include <asm/unistd.h>", ...asserts, ""].join("\n"),
      );
      run(target.compiler, [...HELPER_CFLAGS, "-o", `${check}.so`, check]);
    },
  });
}

Deno.test("probeAbi: the table in use matches this machine's libc and kernel", () => {
  const checks = probeAbi();
  assert.ok(checks.length >= 9);
  assert.deepEqual(checks.filter((c) => !c.ok), []);
  assert.ok(checks.filter((c) => c.actual !== null).length >= 8, "most values must be probeable");
});

Deno.test("probeAbi: a wrong table is caught", () => {
  const real = libc().abi;
  const wrong: AbiTable = {
    ...real,
    sizes: { ...real.sizes, posixSpawnattr: real.sizes.posixSpawnattr + 8, sigset: 4 },
    kernel: {
      ...real.kernel,
      epollEvent: {
        ...real.kernel.epollEvent,
        dataOffset: real.kernel.epollEvent.dataOffset === 4 ? 8 : 4,
      },
    },
  };
  const failed = probeAbiAgainst(wrong).filter((c) => !c.ok).map((c) => c.name).sort();
  assert.deepEqual(failed, [
    "kernel.epollEvent.dataOffset",
    "sizes.posixSpawnattr",
    "sizes.sigset",
  ]);
});

Deno.test("ABI tables: the facts DESIGN.md lists", () => {
  assert.equal(ABI_TABLES["glibc-x86_64"].sizes.posixSpawnattr, 336);
  assert.equal(ABI_TABLES["glibc-x86_64"].sizes.posixSpawnFileActions, 80);
  assert.equal(ABI_TABLES["glibc-aarch64"].sizes.sigset, 128);
  for (const key of ["bionic-aarch64", "bionic-x86_64"] as const) {
    assert.deepEqual(ABI_TABLES[key].sizes, {
      sigset: 8,
      posixSpawnattr: 8,
      posixSpawnFileActions: 8,
    });
    assert.equal(ABI_TABLES[key].errnoSymbol, "__errno");
    assert.equal(ABI_TABLES[key].spawnFlags.SETSID, 128);
    assert.equal(ABI_TABLES[key].spawnFlags.USEVFORK, 64);
  }
  assert.equal(ABI_TABLES["bionic-x86_64"].kernel.epollEvent.size, 12, "packed on x86_64");
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.epollEvent.size, 16);
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.open.O_CLOEXEC, 0x80000);
  assert.equal(ABI_TABLES["bionic-x86_64"].kernel.open.O_NONBLOCK, 0x800);
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.rusage.maxrssOffset, 32);
});
