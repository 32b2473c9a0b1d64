/**
 * The supervision rules without a child: inputs in, the port's calls out. The drivers (runSync,
 * Child, runAsRoot, the registry) are covered by the parity and async suites.
 * @module
 */
import assert from "node:assert/strict";
import { recorder } from "./_port_recorder.ts";
import { cancelEscalation, type Escalation, Supervision } from "../ffi/supervise/supervision.ts";

const GRACEFUL: Escalation = { first: "SIGTERM", graceMs: 50 };

function machine(
  options: {
    group?: boolean;
    escalation?: Escalation | null;
    afterEarlyExit?: "wait" | "kill";
    stopOnOverflow?: boolean;
  } = {},
) {
  const { port, calls } = recorder();
  const sup = new Supervision({
    group: options.group ?? false,
    escalation: options.escalation === undefined ? GRACEFUL : options.escalation,
    afterEarlyExit: options.afterEarlyExit ?? "wait",
    stopOnOverflow: options.stopOnOverflow ?? false,
  }, port);
  return { sup, calls };
}

Deno.test("supervision: cancel options name the escalation", () => {
  assert.deepEqual(cancelEscalation("kill", 2000), { first: "SIGKILL", graceMs: 0 });
  assert.deepEqual(cancelEscalation("graceful", 300), { first: "SIGTERM", graceMs: 300 });
});

Deno.test("supervision: a timeout sends the first signal and arms the grace; grace over is SIGKILL", () => {
  const { sup, calls } = machine();
  sup.timeout();
  assert.deepEqual(calls, ["SIGTERM", "grace 50"]);
  assert.equal(sup.timedOut, true);
  sup.graceOver();
  assert.deepEqual(calls, ["SIGTERM", "grace 50", "SIGKILL"]);
});

Deno.test("supervision: a kill escalation is one SIGKILL, to the group when there is one", () => {
  const { sup, calls } = machine({ group: true, escalation: { first: "SIGKILL", graceMs: 0 } });
  sup.timeout();
  assert.deepEqual(calls, ["SIGKILL group"]);
});

Deno.test("supervision: a paused child gets SIGCONT after the first signal", () => {
  const { sup, calls } = machine({ group: true });
  sup.paused = true;
  sup.abort();
  assert.deepEqual(calls, ["SIGTERM group", "SIGCONT group", "grace 50"]);
  assert.equal(sup.aborted, true);
});

Deno.test("supervision: the reap after a stop kills the rest of the group and cuts the pipes", () => {
  const { sup, calls } = machine({ group: true });
  sup.timeout();
  sup.reaped();
  assert.deepEqual(calls, ["SIGTERM group", "grace 50", "closeStdin", "SIGKILL group", "cutPipes"]);
  calls.length = 0;
  sup.graceOver(); // the group is already dead: nothing more
  assert.deepEqual(calls, []);
});

Deno.test("supervision: a timeout after the leader exited cuts loose at once", () => {
  const { sup, calls } = machine({ group: true });
  sup.reaped();
  assert.deepEqual(calls, ["closeStdin"]);
  sup.timeout();
  assert.equal(sup.timedOut, true);
  assert.deepEqual(calls, ["closeStdin", "SIGKILL group", "cutPipes"]);
});

Deno.test("supervision: without a group, nothing is signalled after the reap (the pid may be reused)", () => {
  const { sup, calls } = machine();
  sup.reaped();
  sup.timeout();
  assert.deepEqual(calls, ["closeStdin", "cutPipes"]);
});

Deno.test("supervision: a timeout or abort after a finished stop changes nothing", () => {
  const { sup, calls } = machine();
  sup.abort();
  sup.reaped();
  calls.length = 0;
  sup.timeout();
  assert.equal(sup.timedOut, false);
  assert.deepEqual(calls, []);
});

Deno.test("supervision: a second stop sends nothing unless it is a SIGKILL", () => {
  const { sup, calls } = machine();
  sup.timeout();
  sup.abort();
  assert.deepEqual(calls, ["SIGTERM", "grace 50"]);
  sup.stop({ first: "SIGKILL", graceMs: 0 });
  assert.deepEqual(calls, ["SIGTERM", "grace 50", "SIGKILL"]);
});

Deno.test("supervision: early exit closes stdout; with kill it stops the child first", () => {
  const wait = machine({ afterEarlyExit: "wait" });
  wait.sup.earlyExit();
  assert.deepEqual(wait.calls, ["closeStdout"]);
  assert.equal(wait.sup.stopping, false);

  const kill = machine({ afterEarlyExit: "kill", escalation: { first: "SIGKILL", graceMs: 0 } });
  kill.sup.earlyExit();
  assert.deepEqual(kill.calls, ["SIGKILL", "closeStdout"]);
  assert.equal(kill.sup.earlyExited, true);
});

Deno.test("supervision: a callback error kills at once and is kept, the first one only", () => {
  const { sup, calls } = machine({ group: true });
  const first = new Error("first");
  sup.callbackFailed(first);
  sup.callbackFailed(new Error("second"));
  assert.equal(sup.callbackError?.error, first);
  assert.deepEqual(calls, ["SIGKILL group", "SIGKILL group"]);
});

Deno.test("supervision: registry and root escalations pick their own first signal", () => {
  const { sup, calls } = machine({ group: true });
  sup.stop({ first: "SIGINT", graceMs: 2000 });
  assert.deepEqual(calls, ["SIGINT group", "grace 2000"]);
  assert.equal(sup.timedOut, false);
});

Deno.test("supervision: cancel none only marks a timeout or abort; the child runs on", () => {
  const { sup, calls } = machine({ escalation: null, afterEarlyExit: "kill" });
  sup.timeout();
  sup.abort();
  sup.earlyExit();
  assert.deepEqual([sup.timedOut, sup.aborted, sup.stopping], [true, true, false]);
  assert.deepEqual(calls, ["closeStdout"]);
});

Deno.test("supervision: overflow kill stops the child once; drain leaves it running", () => {
  const kill = machine({ stopOnOverflow: true, escalation: { first: "SIGKILL", graceMs: 0 } });
  kill.sup.overflowed();
  kill.sup.overflowed();
  assert.deepEqual(kill.calls, ["SIGKILL"]);
  const none = machine({ stopOnOverflow: true, escalation: null });
  none.sup.overflowed();
  assert.deepEqual(none.calls, ["SIGKILL"], "cancel none still stops an overflow kill");
  const drain = machine();
  drain.sup.overflowed();
  assert.deepEqual(drain.calls, []);
});
