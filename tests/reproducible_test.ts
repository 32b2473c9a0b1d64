/**
 * Reproducible prebuilt sets, with a fake compiler: a build writes every arch's file, SHA256SUMS
 * and hashes.ts; --check passes on what was built and fails on a byte that differs.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PREBUILT_ARCHES, type PrebuiltSet, runPrebuiltBuild } from "../ffi/native/reproducible.ts";
import { sha256Hex } from "../ffi/native/sha256.ts";

/** A set of one file whose "compiler" writes `linux-<arch>/thing` through `content`. */
function fakeSet(root: string, content: (out: string) => string): PrebuiltSet {
  return {
    root,
    files: [{
      name: "thing",
      compile: (_cc, out) => {
        Deno.writeTextFileSync(out, content(out.split("/").slice(-2).join("/")));
        return null;
      },
    }],
    what: "the test things",
    task: "deno task build:test",
    key: (arch, file) => `${arch}/${file}`,
    hashesDoc: "Test hashes.",
  };
}

Deno.test("runPrebuiltBuild: files, SHA256SUMS and hashes.ts; --check passes, then catches a change", () => {
  const root = Deno.makeTempDirSync();
  const quiet = console.log;
  const quietError = console.error;
  console.log = console.error = () => {};
  try {
    assert.equal(runPrebuiltBuild(fakeSet(root, (rel) => `built ${rel}`), []), 0);
    const sums = Deno.readTextFileSync(join(root, "SHA256SUMS"));
    const hashes = Deno.readTextFileSync(join(root, "hashes.ts"));
    for (const arch of PREBUILT_ARCHES) {
      const rel = `linux-${arch}/thing`;
      const hash = sha256Hex(Deno.readFileSync(join(root, rel)));
      assert.ok(sums.includes(`${hash}  ${rel}\n`), rel);
      assert.ok(hashes.includes(`"${arch}/thing": "${hash}"`), `hashes.ts has ${arch}`);
    }
    assert.match(hashes, /written by `deno task build:test`/);
    assert.equal(runPrebuiltBuild(fakeSet(root, (rel) => `built ${rel}`), ["--check"]), 0);
    assert.equal(
      runPrebuiltBuild(fakeSet(root, (rel) => `changed ${rel}`), ["--check"]),
      1,
      "a source change that the committed files lack",
    );
    assert.equal(
      Deno.readTextFileSync(join(root, "linux-x86_64/thing")),
      "built linux-x86_64/thing",
      "--check builds elsewhere and never touches what is committed",
    );
  } finally {
    console.log = quiet;
    console.error = quietError;
    Deno.removeSync(root, { recursive: true });
  }
});
