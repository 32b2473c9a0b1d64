/**
 * `deno task build:native [--check]`: builds the helper for linux-x86_64 and linux-aarch64 into
 * ffi/native/prebuilt/, writes SHA256SUMS and hashes.ts (what the loader checks before dlopen).
 * With --check it builds into a temporary folder and fails if any byte differs from what is
 * committed: the prebuilt files must be reproducible from child_setup.c.
 * @module
 */
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compileHelper, HELPER_FILE } from "./compile.ts";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "child_setup.c");
const prebuilt = join(here, "prebuilt");

/** Compilers to try per target arch, most specific first. */
function compilersFor(arch: "x86_64" | "aarch64"): string[] {
  const cross = `${arch}-linux-gnu-gcc`;
  return Deno.build.arch === arch ? [cross, "cc"] : [cross];
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function build(outRoot: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const arch of ["x86_64", "aarch64"] as const) {
    const dir = join(outRoot, `linux-${arch}`);
    Deno.mkdirSync(dir, { recursive: true });
    const out = join(dir, HELPER_FILE);
    const errors: string[] = [];
    for (const cc of compilersFor(arch)) {
      const err = compileHelper(cc, source, out);
      if (!err) break;
      errors.push(err);
    }
    if (errors.length === compilersFor(arch).length) {
      throw new Error(
        `no compiler built the ${arch} helper:\n${errors.join("\n")}\n` +
          "install gcc-aarch64-linux-gnu (Debian) for the cross build",
      );
    }
    hashes[arch] = sha256(Deno.readFileSync(out));
  }
  return hashes;
}

function hashesModule(hashes: Record<string, string>): string {
  return `/**
 * SHA-256 of each prebuilt helper, written by \`deno task build:native\`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/${HELPER_FILE}. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
${Object.entries(hashes).map(([a, h]) => `  ${a}: "${h}",`).join("\n")}
};
`;
}

const { values } = parseArgs({ args: Deno.args, options: { check: { type: "boolean" } } });
if (values.check) {
  const tmp = Deno.makeTempDirSync({ prefix: "coreshift-native-" });
  try {
    const hashes = build(tmp);
    let same = true;
    for (const [arch, hash] of Object.entries(hashes)) {
      const committed = join(prebuilt, `linux-${arch}`, HELPER_FILE);
      let actual = "(missing)";
      try {
        actual = sha256(Deno.readFileSync(committed));
      } catch { /* reported below */ }
      const ok = actual === hash;
      same &&= ok;
      console.log(`${ok ? "same" : "DIFFERS"}  linux-${arch}  built ${hash}  committed ${actual}`);
    }
    if (!same) {
      console.error(
        "prebuilt helpers are not reproducible from child_setup.c: run deno task build:native",
      );
      Deno.exit(1);
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
} else {
  const hashes = build(prebuilt);
  Deno.writeTextFileSync(
    join(prebuilt, "SHA256SUMS"),
    Object.entries(hashes).map(([a, h]) => `${h}  linux-${a}/${HELPER_FILE}\n`).join(""),
  );
  Deno.writeTextFileSync(join(prebuilt, "hashes.ts"), hashesModule(hashes));
  for (const [arch, hash] of Object.entries(hashes)) console.log(`built linux-${arch}  ${hash}`);
}
