/**
 * `deno task build:native [--check]`: builds the helper for linux-x86_64 and linux-aarch64 into
 * ffi/native/prebuilt/, writes SHA256SUMS and hashes.ts (what the loader checks before dlopen).
 * With --check it builds into a temporary folder and fails if any byte differs from what is
 * committed: the prebuilt files must be reproducible from child_setup.c.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileHelper, HELPER_FILE } from "./compile.ts";
import { runPrebuiltBuild } from "./reproducible.ts";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "child_setup.c");

Deno.exit(runPrebuiltBuild({
  root: join(here, "prebuilt"),
  files: [{ name: HELPER_FILE, compile: (cc, out) => compileHelper(cc, source, out) }],
  what: "the native helper",
  task: "deno task build:native",
  key: (arch) => arch,
  hashesDoc: `Expected SHA-256 of prebuilt/linux-<arch>/${HELPER_FILE}, by arch.`,
}, Deno.args));
