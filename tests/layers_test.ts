/**
 * The core's layers, written once: every file under ffi/ may import its own folder and the
 * folders before it in {@linkcode LAYERS}, never one after it, and never anything outside ffi/
 * (android/, cli/, bench/ sit on top of the core). The order is the path of a spawn: options are
 * validated, planned, started by a backend, supervised, driven on the event loop or in a loop of
 * its own, and offered as entry points and as Deno.Command.
 */
import assert from "node:assert/strict";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tsFiles } from "./_sources.ts";

/** Lowest first. */
export const LAYERS = [
  "abi", // one ABI table per libc × arch
  "os", // libc, fds, epoll, timerfd, pty, errors, exit status: the system calls themselves
  "platform", // what this device is and allows: platform facts, syscall gate, Termux, own confinement
  "confine", // seccomp and Landlock programs for a child
  "options", // the spawn options, validated
  "plan", // options → a plan: program, argv, env, the child's fds
  "posix_spawn", // backend: libc's posix_spawn
  "native", // backend: the libc-free helper (fork or vfork) and its binding
  "start", // backend choice and the start itself: plan → a started child
  "supervise", // the stop rules, output and capture: what both drivers share
  "async", // the event loop's parts: fd poller, exit watcher, deadlines, pipes, streams
  "run", // the entry points and their drivers: runSync, spawn, pipeline, chain, registry
  "command", // Deno.Command on top
] as const;

const ffi = resolve(dirname(fileURLToPath(import.meta.url)), "../ffi");

/** The relative imports of `source` (static, `export … from`, dynamic), resolved. */
export function importsOf(file: string, source: string): string[] {
  const specs = source.matchAll(/(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+)"/g);
  return [...specs].map((m) => resolve(dirname(file), m[1]));
}

function layerOf(path: string): string {
  return relative(ffi, path).split("/")[0];
}

Deno.test("layers: every ffi/ folder is in the order, and every file is in a folder", () => {
  for (const file of tsFiles(ffi)) {
    const layer = layerOf(file);
    assert.ok(
      (LAYERS as readonly string[]).includes(layer),
      `${relative(ffi, file)} is in no layer`,
    );
  }
});

Deno.test("layers: no file of the core imports upward or out of the core", () => {
  const wrong: string[] = [];
  for (const file of tsFiles(ffi)) {
    const from = LAYERS.indexOf(layerOf(file) as typeof LAYERS[number]);
    for (const target of importsOf(file, Deno.readTextFileSync(file))) {
      const where = relative(ffi, target);
      if (where.startsWith("..")) {
        wrong.push(`${relative(ffi, file)} imports ${where} (outside the core)`);
        continue;
      }
      const to = LAYERS.indexOf(layerOf(target) as typeof LAYERS[number]);
      if (to > from) wrong.push(`${relative(ffi, file)} (${LAYERS[from]}) imports ${where}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("layers: the import reader sees every form of import", () => {
  const found = importsOf(
    "/r/ffi/run/x.ts",
    [
      'import { a } from "../os/libc.ts";',
      'import type { B } from "./b.ts";',
      'export { c } from "../plan/plan.ts";',
      'const m = await import("../command/command.ts");',
    ].join("\n"),
  );
  assert.deepEqual(found, [
    "/r/ffi/os/libc.ts",
    "/r/ffi/run/b.ts",
    "/r/ffi/plan/plan.ts",
    "/r/ffi/command/command.ts",
  ]);
});
