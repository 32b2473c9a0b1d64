/**
 * How a bench child is compiled: static, libc-free, stripped, byte-for-byte reproducible. One
 * command line, shared by `deno task build:bench` and by the fallback that builds a child from
 * source on an arch without prebuilt ones.
 * @module
 */
import { basename, dirname } from "node:path";
import { FREESTANDING_CFLAGS } from "../../ffi/native/compile.ts";

/** The bench children, by file name (the source is `<name>.c` beside this module). */
export const BENCH_CHILDREN = ["noop", "writer", "linger"] as const;
/** One of {@linkcode BENCH_CHILDREN}. */
export type BenchChild = typeof BENCH_CHILDREN[number];

/** Flags for a static executable: the helper's libc-free set, linked statically. */
export const BENCH_CHILD_CFLAGS: readonly string[] = [...FREESTANDING_CFLAGS, "-static"];

/** Compiles `source` to `out` with `compiler`; cc's stderr on failure, null on success. */
export function compileBenchChild(compiler: string, source: string, out: string): string | null {
  let result: Deno.CommandOutput;
  try {
    // From the source's folder with a relative path: no absolute path lands in the binary.
    result = new Deno.Command(compiler, {
      args: [...BENCH_CHILD_CFLAGS, "-o", out, basename(source)],
      cwd: dirname(source),
    }).outputSync();
  } catch (e) {
    return `${compiler} could not be run: ${(e as Error).message}`;
  }
  return result.success ? null : new TextDecoder().decode(result.stderr) || `${compiler} failed`;
}
