/**
 * The programs a spawn bench needs: the static no-op child and the C floor, built at bench
 * time. Without a compiler the no-op falls back to `true` (dynamic, slower) and there is no
 * floor; the report says so.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildC, NoCompilerError } from "./c_build.ts";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, ".build");

/** What was built, and what could not be. */
export interface BenchChildren {
  /** Absolute path of the no-op child. */
  readonly noop: string;
  /** The C floor binary, or null without a compiler. */
  readonly floor: string | null;
  /** argv of a static child that writes `bytes` zeros to stdout; without a compiler, `head`. */
  readonly spew: (bytes: number) => string[];
  /** argv of a child that writes `ready\n`, then waits to be killed; without a compiler, `sh`. */
  readonly linger: readonly string[];
  /** Why something fell back, for the report. */
  readonly notes: readonly string[];
}

/** Builds (or reuses) the bench children. */
export function benchChildren(): BenchChildren {
  const notes: string[] = [];
  let noop: string;
  let floor: string | null = null;
  let spew = (bytes: number) => ["head", "-c", String(bytes), "/dev/zero"];
  let linger = ["sh", "-c", "echo ready; exec sleep 100000"];
  try {
    noop = buildC(join(here, "noop.c"), outDir, ["-static", "-nostdlib", "-ffreestanding"]);
    floor = buildC(join(here, "floor.c"), outDir);
    const writer = buildC(join(here, "spew.c"), outDir, ["-static"]);
    spew = (bytes) => [writer, String(bytes)];
    linger = [buildC(join(here, "linger.c"), outDir, ["-static"])];
  } catch (e) {
    if (!(e instanceof NoCompilerError)) throw e;
    noop = whichTrue();
    notes.push(
      `${e.message}; no-op child is ${noop} (dynamic), the writer is head, the lingering ` +
        "child sh, no C floor",
    );
  }
  return { noop, floor, spew, linger, notes };
}

function whichTrue(): string {
  for (const p of ["/bin/true", "/usr/bin/true", "/system/bin/true"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  throw new Error("no `true` program found for the no-op child");
}
