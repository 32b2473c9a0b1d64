/** Platform facts (ffi/platform/platform.ts): kernel release and version parsing. */
import assert from "node:assert/strict";
import { parseKernelRelease, versionAtLeast } from "../ffi/platform/platform.ts";

Deno.test("kernel release and version parsing", () => {
  assert.deepEqual(parseKernelRelease("6.1.0-18-amd64"), [6, 1]);
  assert.deepEqual(parseKernelRelease("4.14.186-perf+"), [4, 14]);
  assert.deepEqual(parseKernelRelease("weird"), [0, 0]);
  assert.equal(versionAtLeast("2.36", "2.29"), true);
  assert.equal(versionAtLeast("2.3", "2.29"), false);
  assert.equal(versionAtLeast("2.29", "2.29"), true);
  assert.equal(versionAtLeast("3.0", "2.29"), true);
});
