/**
 * The Android side checked against the real thing in `../shared/bionic`: bionic's headers (with
 * the API level of every function), Android's app seccomp policy for API 24–35 and an Android 9
 * bionic runtime. Nothing of it is copied here: the tests read it where it lies, and say so in
 * their names when it, clang, lld or qemu is missing.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ABI_TABLES } from "../ffi/abi/mod.ts";
import {
  BIONIC_FIRST_API,
  OLDEST_API,
  type OptionalSymbol,
} from "../ffi/platform/bionic_symbols.ts";
import { LIBC_SYMBOLS } from "../ffi/os/libc.ts";
import { type GatedSyscall, SYSCALL_GATES, syscallAllowed } from "../ffi/platform/syscall_gate.ts";
import { differences, flattenTable, parseDump } from "./_abi_compare.ts";
import {
  API_LEVELS,
  appAllowlist,
  BIONIC_DIR,
  bionicMissing,
  firstAllowed,
  lastAllowedBeforeRemoval,
  type PolicyArch,
} from "./_android_policy.ts";
import { pretendAndroid } from "./_platforms.ts";
import { tsFiles } from "./_sources.ts";

const here = new URL(".", import.meta.url).pathname;
const buildDir = join(here, ".build", "bionic");
const ARCHES: readonly PolicyArch[] = ["x86_64", "arm64"];
const TABLE_ARCH = { x86_64: "x86_64", arm64: "aarch64" } as const;

function has(program: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
    .outputSync().success;
}

/** Why the compiled checks cannot run (no shared/bionic, clang or lld), or false. */
const cannotCompile: string | false = bionicMissing() ||
  (!has("clang") ? "clang is not installed" : !has("ld.lld") ? "lld is not installed" : false);

function cannotRun(arch: PolicyArch): string | false {
  if (cannotCompile) return cannotCompile;
  return arch === "arm64" && !has("qemu-aarch64-static") ? "qemu-user-static is missing" : false;
}

function sh(cmd: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = new Deno.Command(cmd, { args: [...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  const text = new TextDecoder();
  return { ok: r.success, out: text.decode(r.stdout), err: text.decode(r.stderr) };
}

/** `cc.sh ARCH API args…`, which must succeed. */
function cc(arch: PolicyArch, api: number, args: readonly string[]): void {
  const r = sh(join(BIONIC_DIR, "cc.sh"), [arch, String(api), ...args]);
  assert.ok(r.ok, `cc.sh ${arch} ${api} ${args.join(" ")} failed:\n${r.err}`);
}

/** Runs a program built by cc.sh on the Android 9 runtime; returns its stdout. */
function runOnBionic(arch: PolicyArch, program: string, args: readonly string[] = []): string {
  const r = sh(join(BIONIC_DIR, "run.sh"), [arch, program, ...args]);
  assert.ok(r.ok, `${program} on bionic ${arch} failed:\n${r.err}`);
  return r.out;
}

function test(name: string, skip: string | false, fn: () => void): void {
  Deno.test({ name: skip ? `${name} [skipped: ${skip}]` : name, ignore: skip !== false, fn });
}

// 1. The bionic ABI tables against bionic's headers, both ways, as the glibc test does.

for (const arch of ARCHES) {
  test(
    `ABI table bionic-${TABLE_ARCH[arch]} matches bionic's headers (API 24/28/33/35)`,
    cannotRun(arch),
    () => {
      Deno.mkdirSync(buildDir, { recursive: true });
      const source = join(here, "fixtures", "abi_dump.c");
      for (const api of [24, 33, 35]) cc(arch, api, ["-fsyntax-only", source]);
      const exe = join(buildDir, `abi_dump-${arch}`);
      cc(arch, 28, ["-O1", "-o", exe, source]);
      const printed = parseDump(runOnBionic(arch, exe));
      const table = flattenTable(ABI_TABLES[`bionic-${TABLE_ARCH[arch]}`]);
      assert.ok(table.size > 100, `only ${table.size} numbers in the table?`);
      assert.deepEqual(differences(table, printed), []);

      // A wrong number in the table is caught (the comparison can fail).
      const wrong = new Map(table);
      wrong.set("kernel.epollEvent.size", table.get("kernel.epollEvent.size")! + 4);
      assert.equal(differences(wrong, printed).length, 1);
    },
  );
}

// 2. Every libc symbol coreshift binds, against the headers at each API level.

/** The C name of each bound symbol and whether it is optional. */
const BOUND = Object.entries(LIBC_SYMBOLS).map(([key, def]) => ({
  key,
  symbol: "name" in def ? def.name : key,
  optional: "optional" in def && def.optional === true,
}));

const HEADERS = [
  "errno.h",
  "fcntl.h",
  "signal.h",
  "spawn.h",
  "stdlib.h",
  "string.h",
  "sys/epoll.h",
  "sys/mman.h",
  "sys/system_properties.h",
  "sys/timerfd.h",
  "sys/wait.h",
  "unistd.h",
];

/** Symbols bionic's headers do not declare when compiled for `api`. */
function undeclaredAt(arch: PolicyArch, api: number): Set<string> {
  Deno.mkdirSync(buildDir, { recursive: true });
  const file = join(buildDir, `symbols-${arch}-${api}.c`);
  const symbols = [...new Set(BOUND.map((b) => b.symbol))];
  Deno.writeTextFileSync(
    file,
    [
      "#define _GNU_SOURCE",
      ...HEADERS.map((h) => `#include <${h}>`),
      "void touch(void) {",
      ...symbols.map((s) => `  (void)&${s};`),
      "}",
      "",
    ].join("\n"),
  );
  const r = sh(join(BIONIC_DIR, "cc.sh"), [
    arch,
    String(api),
    "-fsyntax-only",
    "-ferror-limit=0",
    file,
  ]);
  const missing = new Set(
    [...r.err.matchAll(/use of undeclared identifier '(\w+)'/g)].map((m) => m[1]),
  );
  if (!r.ok) assert.ok(missing.size > 0, `cc.sh failed for another reason:\n${r.err}`);
  return missing;
}

test(
  "libc symbols by API level: required ones at 24, each optional one from the level in bionic_symbols.ts",
  cannotCompile,
  () => {
    const missingAt = new Map(API_LEVELS.map((api) => [api, undeclaredAt("arm64", api)]));
    for (const { key, symbol, optional } of BOUND) {
      const first = API_LEVELS.find((api) => !missingAt.get(api)!.has(symbol)) ?? null;
      if (!optional) {
        assert.equal(first, OLDEST_API, `required symbol ${symbol} is not declared at API 24`);
        continue;
      }
      assert.ok(
        key in BIONIC_FIRST_API,
        `optional symbol ${key} has no entry in bionic_symbols.ts`,
      );
      assert.equal(
        BIONIC_FIRST_API[key as OptionalSymbol],
        first,
        `${symbol}: bionic_symbols.ts says ${
          BIONIC_FIRST_API[key as OptionalSymbol]
        }, the headers ${first}`,
      );
      // Once declared, it stays declared.
      for (const api of API_LEVELS.filter((a) => first !== null && a >= first)) {
        assert.ok(!missingAt.get(api)!.has(symbol), `${symbol} vanishes at API ${api}`);
      }
    }
  },
);

// 3. Syscall gates and the helper against Android's app seccomp policy.

test(
  "policy: API 24 and 25 have no app filter; later levels allow the basics and refuse setuid",
  bionicMissing(),
  () => {
    for (const arch of ARCHES) {
      assert.equal(appAllowlist(24, arch), null);
      assert.equal(appAllowlist(25, arch), null);
      for (const api of API_LEVELS.filter((a) => a >= 26)) {
        const allowed = appAllowlist(api, arch)!;
        for (const name of ["read", "write", "execve", "clone", "exit_group"]) {
          assert.ok(allowed.has(name), `${name} at API ${api} ${arch}`);
        }
        if (api >= 28) assert.equal(allowed.has("setuid"), false, `setuid at API ${api} ${arch}`);
      }
    }
  },
);

test(
  "SYSCALL_GATES gives exactly the first (and last) API level whose app filter allows each call",
  bionicMissing(),
  () => {
    for (const name of Object.keys(SYSCALL_GATES) as GatedSyscall[]) {
      for (const arch of ARCHES) {
        assert.equal(
          SYSCALL_GATES[name].androidApi,
          firstAllowed(name, arch),
          `${name} on ${arch}`,
        );
        assert.equal(
          SYSCALL_GATES[name].lastAndroidApi,
          lastAllowedBeforeRemoval(name, arch),
          `${name} on ${arch}: the last level before a release took it away`,
        );
      }
    }
  },
);

/** The syscalls child_setup.c defines for `arch`, by name. */
function helperSyscalls(arch: PolicyArch): string[] {
  const source = Deno.readTextFileSync(join(here, "..", "ffi", "native", "child_setup.c"));
  const x86 = source.indexOf("defined(__x86_64__)");
  const arm = source.indexOf("defined(__aarch64__)", x86);
  const block = arch === "x86_64"
    ? source.slice(x86, arm)
    : source.slice(arm, source.indexOf("\n#e", arm));
  const names = [...block.matchAll(/#define SYS_(\w+) \d+/g)].map((m) => m[1]);
  assert.ok(names.length >= 15, `${arch}: the helper's syscall table was not found`);
  return names;
}

/** Raw syscalls the TypeScript makes through libc's `syscall()`. */
function tsRawSyscalls(): string[] {
  const names = new Set<string>();
  for (
    const path of [...tsFiles(join(here, "..", "ffi")), ...tsFiles(join(here, "..", "android"))]
  ) {
    for (const m of Deno.readTextFileSync(path).matchAll(/\.syscalls\.(\w+)/g)) names.add(m[1]);
  }
  return [...names];
}

test(
  "every syscall the helper or the TypeScript can make is allowed wherever the code makes it",
  bionicMissing(),
  () => {
    const raw = tsRawSyscalls();
    assert.ok(raw.includes("pidfd_open") && raw.includes("getdents64"), `found ${raw}`);
    for (const arch of ARCHES) {
      for (const api of API_LEVELS.filter((a) => a >= 26)) {
        const allowed = appAllowlist(api, arch)!;
        const platform = pretendAndroid(api, { kernel: [6, 1] });
        for (const name of [...helperSyscalls(arch), ...raw]) {
          const gated = name in SYSCALL_GATES;
          if (gated && !syscallAllowed(name as GatedSyscall, platform)) continue;
          assert.ok(
            allowed.has(name),
            `${name} would be made at API ${api} on ${arch}, but is refused`,
          );
        }
      }
    }
  },
);
