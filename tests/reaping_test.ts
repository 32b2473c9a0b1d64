/**
 * Reaping: how a pipeline's stages merge into one exit.
 * @module
 */
import assert from "node:assert/strict";
import { mergeStages } from "../ffi/supervise/reaping.ts";

Deno.test("mergeStages: the last stage's exit, every stage's status in order", () => {
  const exited = (code: number) => ({ kind: "exited", code }) as const;
  const reaped = (code: number) => ({ pid: 10 + code, status: exited(code) }) as never;
  const merged = mergeStages([reaped(1), reaped(0), reaped(2)]);
  assert.deepEqual(merged.status, exited(2));
  assert.deepEqual(merged.stages, [exited(1), exited(0), exited(2)]);
});
