/**
 * `deno task build:bench [--check]`: builds the bench children (noop, writer, linger) for
 * linux-x86_64 and linux-aarch64 into bench/children/prebuilt/, with SHA256SUMS and hashes.ts
 * (checked before a child is used). With --check, fails if any committed byte differs from a
 * fresh build of the C beside this file.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPrebuiltBuild } from "../../ffi/native/reproducible.ts";
import { BENCH_CHILDREN, compileBenchChild } from "./compile.ts";

const here = dirname(fileURLToPath(import.meta.url));

Deno.exit(runPrebuiltBuild({
  root: join(here, "prebuilt"),
  files: BENCH_CHILDREN.map((name) => ({
    name,
    compile: (cc: string, out: string) => compileBenchChild(cc, join(here, `${name}.c`), out),
  })),
  what: "the bench children",
  task: "deno task build:bench",
  key: (arch, file) => `${arch}/${file}`,
  hashesDoc: "Expected SHA-256 of prebuilt/linux-<arch>/<child>, keyed `<arch>/<child>`.",
}, Deno.args));
