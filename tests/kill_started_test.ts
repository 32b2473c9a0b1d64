/**
 * Killing what was started: whose group a stop may signal.
 * @module
 */
import assert from "node:assert/strict";
import { ownsGroup } from "../ffi/start/kill_started.ts";

Deno.test("ownsGroup: the child's own group or a pipeline's is ours; a joined one is not", () => {
  assert.equal(ownsGroup(100, 100, false), true, "the child leads it");
  assert.equal(ownsGroup(100, 90, true), true, "a pipeline's group, led by its first stage");
  assert.equal(ownsGroup(100, 90, false), false, "a group the child only joined");
  assert.equal(ownsGroup(100, null, false), false, "no group");
});
