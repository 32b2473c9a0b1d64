/**
 * What both drivers share around a Supervision (ffi/supervise/driver.ts), without a child.
 */
import assert from "node:assert/strict";
import { recorder } from "./_port_recorder.ts";
import { offerEarlyExit, supervisionFor } from "../ffi/supervise/driver.ts";
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
