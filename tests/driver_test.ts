/**
 * What both drivers share around a Supervision (ffi/supervise/driver.ts), the stage merge
 * (ffi/supervise/reaping.ts) and the rule for killing what a start made
 * (ffi/start/kill_started.ts), without a child.
 */
import assert from "node:assert/strict";
import { recorder } from "./_port_recorder.ts";
import { offerEarlyExit, supervisionFor } from "../ffi/supervise/driver.ts";
import { mergeStages } from "../ffi/supervise/reaping.ts";
import { ownsGroup } from "../ffi/start/kill_started.ts";
import type { SupervisePlan } from "../ffi/plan/plan.ts";

const plan = {
  cancel: "graceful",
  killGraceMs: 40,
  killSignal: "SIGINT",
  afterEarlyExit: "kill",
  overflow: "kill",
} as unknown as SupervisePlan;

Deno.test("supervisionFor: the plan's escalation, and the group when there is one", () => {
  const { port, calls } = recorder();
  const sup = supervisionFor(plan, 1234, port);
  sup.timeout();
  assert.deepEqual(calls, ["SIGINT group", "grace 40"]);
  const alone = recorder();
  supervisionFor(plan, null, alone.port).timeout();
  assert.deepEqual(alone.calls, ["SIGINT", "grace 40"]);
});

Deno.test("offerEarlyExit: true stops once, a throw is kept, nothing is offered after either", () => {
  const { port, calls } = recorder();
  const sup = supervisionFor(plan, null, port);
  const seen: string[] = [];
  const callback = (chunk: Uint8Array) => {
    seen.push(new TextDecoder().decode(chunk));
    return seen.length === 2;
  };
  const chunk = (text: string) => () => new TextEncoder().encode(text);
  offerEarlyExit(sup, callback, chunk("a"));
  offerEarlyExit(sup, callback, chunk("b"));
  offerEarlyExit(sup, callback, chunk("c"));
  assert.deepEqual(seen, ["a", "b"]);
  assert.equal(sup.earlyExited, true);
  assert.deepEqual(calls.slice(0, 1), ["SIGINT"]);
  const failing = supervisionFor(plan, null, recorder().port);
  let calledAgain = false;
  offerEarlyExit(failing, () => {
    throw new Error("bad callback");
  }, chunk("x"));
  offerEarlyExit(failing, () => calledAgain = true, chunk("y"));
  assert.equal((failing.callbackError?.error as Error).message, "bad callback");
  assert.equal(calledAgain, false);
  offerEarlyExit(sup, null, chunk("z")); // no callback: nothing happens
});

Deno.test("mergeStages: the last stage's exit, every stage's status in order", () => {
  const exited = (code: number) => ({ kind: "exited", code }) as const;
  const reaped = (code: number) => ({ pid: 10 + code, status: exited(code) }) as never;
  const merged = mergeStages([reaped(1), reaped(0), reaped(2)]);
  assert.deepEqual(merged.status, exited(2));
  assert.deepEqual(merged.stages, [exited(1), exited(0), exited(2)]);
});

Deno.test("ownsGroup: the child's own group or a pipeline's is ours; a joined one is not", () => {
  assert.equal(ownsGroup(100, 100, false), true, "the child leads it");
  assert.equal(ownsGroup(100, 90, true), true, "a pipeline's group, led by its first stage");
  assert.equal(ownsGroup(100, 90, false), false, "a group the child only joined");
  assert.equal(ownsGroup(100, null, false), false, "no group");
});
