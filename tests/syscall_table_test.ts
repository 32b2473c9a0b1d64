/**
 * The full syscall tables (ffi/abi/syscalls_*.ts) against the C compiler's `<asm/unistd.h>`,
 * both ways: every `__NR_` name the header defines is in the table with its number, and the
 * table has nothing the header lacks. aarch64 is cross-compiled and run under qemu.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SYSCALLS_AARCH64 } from "../ffi/abi/syscalls_aarch64.ts";
import { SYSCALLS_X86_64 } from "../ffi/abi/syscalls_x86_64.ts";

const buildDir = new URL(".build/", import.meta.url).pathname;

const TARGETS = [
  {
    arch: "x86_64",
    table: SYSCALLS_X86_64,
    compiler: "cc",
    header: "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
    runner: [] as string[],
  },
  {
    arch: "aarch64",
    table: SYSCALLS_AARCH64,
    compiler: "aarch64-linux-gnu-gcc",
    header: "/usr/aarch64-linux-gnu/include/asm-generic/unistd.h",
    runner: ["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu"],
  },
];

function has(program: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
    .outputSync().success;
}

function run(cmd: string, args: readonly string[]): string {
  const r = new Deno.Command(cmd, { args: [...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  assert.ok(r.success, `${cmd} failed: ${new TextDecoder().decode(r.stderr)}`);
  return new TextDecoder().decode(r.stdout);
}

for (const t of TARGETS) {
  const missing = [t.compiler, ...t.runner.slice(0, 1)].find((tool) => !has(tool));
  const noHeader = (() => {
    try {
      Deno.statSync(t.header);
      return false;
    } catch {
      return `${t.header} is missing`;
    }
  })();
  const skip = missing ? `${missing} is not installed` : noHeader;
  Deno.test({
    name: `syscall table ${t.arch} matches <asm/unistd.h> both ways${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
    ignore: skip !== false,
    fn() {
      const names = [
        ...new Set(
          [...Deno.readTextFileSync(t.header).matchAll(/^#define __NR_([a-z0-9_]+)/gm)]
            .map((m) => m[1])
            .filter((n) => n !== "syscalls" && n !== "arch_specific_syscall"),
        ),
      ];
      const lines = [
        "#include <stdio.h>",
        "#include <asm/unistd.h>",
        "int main(void) {",
        ...names.map((n) => `#ifdef __NR_${n}\n  printf("${n} %d\\n", (int)(__NR_${n}));\n#endif`),
        "  return 0;",
        "}",
      ];
      Deno.mkdirSync(buildDir, { recursive: true });
      const source = join(buildDir, `syscalls-${t.arch}.c`);
      const exe = join(buildDir, `syscalls-${t.arch}`);
      Deno.writeTextFileSync(source, lines.join("\n") + "\n");
      run(t.compiler, ["-O0", "-o", exe, source]);
      const printed = new Map(
        run(t.runner[0] ?? exe, t.runner.length ? [...t.runner.slice(1), exe] : []).trim().split(
          "\n",
        ).map((l) => {
          const [name, nr] = l.split(" ");
          return [name, Number(nr)] as const;
        }),
      );
      assert.ok(printed.size > 250, `only ${printed.size} syscalls printed`);
      const table = new Map(Object.entries(t.table));
      const differences = [
        ...[...printed].filter(([n, nr]) => table.get(n) !== nr).map(([n, nr]) =>
          `${n}: header ${nr}, table ${table.get(n)}`
        ),
        ...[...table.keys()].filter((n) => !printed.has(n)).map((n) => `${n}: not in the header`),
      ];
      assert.deepEqual(differences, []);
    },
  });
}
