/**
 * Builds small C programs (bench children, the C floor, test fixtures) with the system `cc`,
 * once per source version, into a `.build/` folder next to the caller.
 * @module
 */
import { basename, join } from "node:path";

/** Thrown when no C compiler works here; benches fall back, tests fail with this message. */
export class NoCompilerError extends Error {}

/**
 * Compiles `source` to an executable in `outDir` (reused while the source and flags are
 * unchanged) and returns its path. Writes atomically, so parallel runs never see half a file.
 */
export function buildC(
  source: string,
  outDir: string,
  flags: readonly string[] = [],
  compiler = "cc",
): string {
  const text = Deno.readFileSync(source);
  const tag = fnv1a([...text, ...new TextEncoder().encode(`${compiler} ${flags.join(" ")}`)])
    .toString(16);
  const out = join(outDir, `${basename(source, ".c")}-${tag}`);
  try {
    Deno.statSync(out);
    return out;
  } catch { /* not built yet */ }
  Deno.mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${Deno.pid}.tmp`;
  let result: Deno.CommandOutput;
  try {
    result = new Deno.Command(compiler, { args: ["-O2", ...flags, "-o", tmp, source] })
      .outputSync();
  } catch (e) {
    throw new NoCompilerError(`no C compiler (${compiler}) here: ${(e as Error).message}`);
  }
  if (!result.success) {
    throw new NoCompilerError(
      `${compiler} failed for ${source}: ${new TextDecoder().decode(result.stderr)}`,
    );
  }
  Deno.renameSync(tmp, out);
  return out;
}

function fnv1a(bytes: Iterable<number>): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
