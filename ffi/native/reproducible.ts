/**
 * Building a set of committed prebuilt binaries, one folder per arch (`linux-x86_64`,
 * `linux-aarch64`), with `SHA256SUMS` and a `hashes.ts` that the code loading them checks
 * before use. With `--check` the set is built into a temporary folder and every file compared
 * with what is committed: prebuilt binaries must be reproducible from their source. Used by
 * `deno task build:native` (the helper) and `deno task build:bench` (the bench children).
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileSha256Hex, sha256Hex } from "./sha256.ts";

/** The arches a prebuilt set is built for. */
export const PREBUILT_ARCHES = ["x86_64", "aarch64"] as const;
/** One of {@linkcode PREBUILT_ARCHES}. */
export type PrebuiltArch = typeof PREBUILT_ARCHES[number];

/** One file of the set, built once per arch. */
export interface PrebuiltFile {
  /** File name inside `linux-<arch>/`. */
  readonly name: string;
  /** Compiles it to `out` with `compiler`; cc's stderr on failure, null on success. */
  readonly compile: (compiler: string, out: string) => string | null;
}

/** A set of prebuilt files and where its hashes go. */
export interface PrebuiltSet {
  /** The folder holding `linux-<arch>/`, `SHA256SUMS` and `hashes.ts`. */
  readonly root: string;
  /** The files, each built for every arch. */
  readonly files: readonly PrebuiltFile[];
  /** What the set is, for messages: "the helper", "the bench children". */
  readonly what: string;
  /** The task that rebuilds it, for messages and for hashes.ts's header. */
  readonly task: string;
  /** The key of one file's hash in hashes.ts. */
  readonly key: (arch: PrebuiltArch, file: string) => string;
  /** The doc comment above `PREBUILT_SHA256` in hashes.ts. */
  readonly hashesDoc: string;
}

/** Compilers to try for `arch`, most specific first: the cross compiler, then `cc` natively. */
export function compilersFor(arch: PrebuiltArch): string[] {
  const cross = `${arch}-linux-gnu-gcc`;
  return Deno.build.arch === arch ? [cross, "cc"] : [cross];
}

/** Builds every file of `set` for every arch under `outRoot`, keyed `linux-<arch>/<name>`. */
function buildAll(set: PrebuiltSet, outRoot: string): Map<string, { path: string; hash: string }> {
  const built = new Map<string, { path: string; hash: string }>();
  for (const arch of PREBUILT_ARCHES) {
    const dir = join(outRoot, `linux-${arch}`);
    Deno.mkdirSync(dir, { recursive: true });
    for (const file of set.files) {
      const out = join(dir, file.name);
      const errors: string[] = [];
      for (const cc of compilersFor(arch)) {
        const err = file.compile(cc, out);
        if (!err) break;
        errors.push(err);
      }
      if (errors.length === compilersFor(arch).length) {
        throw new Error(
          `no compiler built ${file.name} for ${arch}:\n${errors.join("\n")}\n` +
            "install gcc-aarch64-linux-gnu (Debian) for the cross build",
        );
      }
      built.set(`linux-${arch}/${file.name}`, {
        path: out,
        hash: sha256Hex(Deno.readFileSync(out)),
      });
    }
  }
  return built;
}

function hashesModule(set: PrebuiltSet, hashes: ReadonlyMap<string, string>): string {
  return `/**
 * SHA-256 of each prebuilt file of ${set.what}, written by \`${set.task}\`;
 * the loader refuses a file whose hash differs. Do not edit by hand.
 * @module
 */

/** ${set.hashesDoc} */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
${[...hashes].map(([k, h]) => `  ${JSON.stringify(k)}: "${h}",`).join("\n")}
};
`;
}

/**
 * Runs the build task for `set` with the command line `args` (`--check` or nothing); returns
 * the exit code.
 */
export function runPrebuiltBuild(set: PrebuiltSet, args: readonly string[]): number {
  const { values } = parseArgs({ args: [...args], options: { check: { type: "boolean" } } });
  if (!values.check) {
    const built = buildAll(set, set.root);
    const sums = [...built].map(([rel, b]) => `${b.hash}  ${rel}\n`).join("");
    Deno.writeTextFileSync(join(set.root, "SHA256SUMS"), sums);
    const keyed = new Map<string, string>();
    for (const arch of PREBUILT_ARCHES) {
      for (const file of set.files) {
        keyed.set(set.key(arch, file.name), built.get(`linux-${arch}/${file.name}`)!.hash);
      }
    }
    Deno.writeTextFileSync(join(set.root, "hashes.ts"), hashesModule(set, keyed));
    for (const [rel, b] of built) console.log(`built ${rel}  ${b.hash}`);
    return 0;
  }
  const tmp = Deno.makeTempDirSync({ prefix: "coreshift-prebuilt-" });
  try {
    let same = true;
    for (const [rel, b] of buildAll(set, tmp)) {
      const committed = fileSha256Hex(join(set.root, rel)) ?? "(missing)";
      const ok = committed === b.hash;
      same &&= ok;
      console.log(`${ok ? "same" : "DIFFERS"}  ${rel}  built ${b.hash}  committed ${committed}`);
    }
    if (!same) {
      console.error(`prebuilt ${set.what} are not reproducible from source: run ${set.task}`);
      return 1;
    }
    return 0;
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
}
