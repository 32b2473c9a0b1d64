/**
 * Where a module's tests are: `ffi/…/x.ts` is tested in `tests/x_test.ts`. A module without a
 * file of that name is listed in {@linkcode TESTED_ELSEWHERE} with the suite that tests it and
 * why: data tables checked against the C headers, types, build tooling, and the parts an entry
 * point's suite drives as a whole. This test fails on a module in neither place, on a listed
 * suite that does not exist, and on an entry that went stale.
 * @module
 */
import assert from "node:assert/strict";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tsFiles } from "./_sources.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

/** Module (path under ffi/) → the suite that tests it, and why it has no file of its own. */
export const TESTED_ELSEWHERE: Readonly<Record<string, { suite: string; why: string }>> = {
  "abi/bionic_aarch64.ts": {
    suite: "abi_test.ts",
    why: "a table, checked against bionic's headers",
  },
  "abi/bionic_x86_64.ts": {
    suite: "abi_test.ts",
    why: "a table, checked against bionic's headers",
  },
  "abi/glibc_aarch64.ts": { suite: "abi_test.ts", why: "a table, checked against glibc's headers" },
  "abi/glibc_x86_64.ts": { suite: "abi_test.ts", why: "a table, checked against glibc's headers" },
  "abi/linux_aarch64.ts": {
    suite: "abi_test.ts",
    why: "a table, checked against the kernel's headers",
  },
  "abi/linux_x86_64.ts": {
    suite: "abi_test.ts",
    why: "a table, checked against the kernel's headers",
  },
  "abi/linux_common.ts": {
    suite: "abi_test.ts",
    why: "a table, checked against the kernel's headers",
  },
  "abi/helper_request.ts": {
    suite: "abi_test.ts",
    why: "the request layout, checked against cs_request.h",
  },
  "abi/mod.ts": { suite: "abi_test.ts", why: "picks a table per libc × arch" },
  "abi/types.ts": { suite: "abi_test.ts", why: "types only" },
  "abi/syscalls_aarch64.ts": {
    suite: "syscall_table_test.ts",
    why: "a table, checked both ways against <asm/unistd.h>",
  },
  "abi/syscalls_x86_64.ts": {
    suite: "syscall_table_test.ts",
    why: "a table, checked both ways against <asm/unistd.h>",
  },
  "abi/syscalls_from_424.ts": {
    suite: "syscall_table_test.ts",
    why: "the numbers both arches share, checked with each",
  },
  "native/steps.ts": {
    suite: "abi_test.ts",
    why: "the step enum's names, checked against child_setup.c",
  },
  "native/prebuilt/hashes.ts": {
    suite: "loader_test.ts",
    why: "generated; checked against SHA256SUMS",
  },
  "native/build.ts": {
    suite: "reproducible_test.ts",
    why: "the build task's wiring; the logic is tested there and CI runs the task with --check",
  },
  "native/compile.ts": {
    suite: "abi_test.ts",
    why: "the helper's compiler flags; the ABI probes are built with them there",
  },
  "options/options.ts": { suite: "validate_test.ts", why: "the option types and their defaults" },
  "options/validate_process.ts": {
    suite: "validate_test.ts",
    why: "one option group of validate.ts, through every entry point",
  },
  "options/validate_stop.ts": {
    suite: "validate_test.ts",
    why: "one option group of validate.ts, through every entry point",
  },
  "options/validate_streams.ts": {
    suite: "validate_test.ts",
    why: "one option group of validate.ts, through every entry point",
  },
  "platform/bionic_symbols.ts": {
    suite: "bionic_test.ts",
    why: "bionic's symbols by API level, checked against its headers",
  },
  "posix_spawn/posix_spawn.ts": {
    suite: "run_sync_test.ts",
    why: "a backend: every [posixSpawn] case of the backend suites",
  },
  "run/child.ts": { suite: "spawn_test.ts", why: "the handle spawn() returns" },
  "run/pipeline_sync.ts": {
    suite: "pipeline_test.ts",
    why: "pipelineSync beside pipeline, case by case",
  },
  "run/registry_exit_hook.ts": {
    suite: "lifetime_test.ts",
    why: "needs a Deno that exits: run there as a subprocess",
  },
  "command/child_process.ts": {
    suite: "command_test.ts",
    why: "Deno.Command's ChildProcess, with Deno's own tests",
  },
  "command/command_options.ts": {
    suite: "command_test.ts",
    why: "Deno.Command's options, with Deno's own tests",
  },
  "command/install.ts": {
    suite: "command_test.ts",
    why: "installs Command over Deno.Command, tested there",
  },
};

Deno.test("every ffi module has tests/<name>_test.ts or says where it is tested", () => {
  const ffi = join(root, "ffi");
  const missing: string[] = [];
  for (const path of tsFiles(ffi)) {
    const module = relative(ffi, path);
    const own = join(here, `${basename(path, ".ts")}_test.ts`);
    const listed = TESTED_ELSEWHERE[module];
    let hasOwn = true;
    try {
      Deno.statSync(own);
    } catch {
      hasOwn = false;
    }
    if (hasOwn) assert.equal(listed, undefined, `${module} has ${basename(own)}: drop its entry`);
    else if (!listed) missing.push(module);
  }
  assert.deepEqual(missing, [], "write tests/<name>_test.ts, or list the module with its suite");
});

Deno.test("every listed suite exists and every listed module still does", () => {
  for (const [module, { suite }] of Object.entries(TESTED_ELSEWHERE)) {
    assert.ok(Deno.statSync(join(root, "ffi", module)).isFile, module);
    assert.ok(Deno.statSync(join(here, suite)).isFile, `${module}: ${suite}`);
  }
});
