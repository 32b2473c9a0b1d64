/**
 * finishOutput, the one Output builder: the fields it reports, pipefail for pipelines, and the
 * order in which a run's errors win (callback, stdin feed, abort, overflow). No child.
 * @module
 */
import assert from "node:assert/strict";
import { AbortedError, CoreError, OutputOverflowError } from "../mod.ts";
import { type FinishedRun, finishOutput, runStatus } from "../ffi/supervise/output.ts";
import { Supervision } from "../ffi/supervise/supervision.ts";
import type { Reaped } from "../ffi/platform/process_control.ts";
import { recorder } from "./_port_recorder.ts";

const rusage = { maxRssKiB: 1, userMs: 0, systemMs: 0 };
const exited = (code: number) => ({ kind: "exited", code }) as const;

function run(overrides: Partial<FinishedRun> = {}, status = exited(0)): FinishedRun {
  const supervision = new Supervision({
    group: false,
    escalation: { first: "SIGTERM", graceMs: 10 },
    afterEarlyExit: "wait",
    stopOnOverflow: false,
  }, recorder().port);
  return {
    pid: 42,
    reaped: { status, rusage },
    stdout: new Uint8Array([1]),
    stderr: new Uint8Array(0),
    durationMs: 3,
    supervision,
    maxOutput: Infinity,
    droppedBytes: 0,
    ...overrides,
  };
}

Deno.test("finishOutput: status, success, streams and times as the run ended", () => {
  const ok = finishOutput(run());
  assert.equal(ok.success, true);
  assert.equal(ok.pid, 42);
  assert.deepEqual(ok.stdout, new Uint8Array([1]));
  assert.equal("stages" in ok, false);
  assert.equal(finishOutput(run({}, exited(3))).success, false);
  const timedOut = run();
  timedOut.supervision.timeout();
  const out = finishOutput(timedOut);
  assert.equal(out.timedOut, true);
  assert.equal(out.success, false, "a timed-out run never succeeds, even with exit 0");
  assert.deepEqual(finishOutput(run({ notApplied: ["landlock"] })).notApplied, ["landlock"]);
});

Deno.test("runStatus: a pipeline's status is its rightmost failing stage (pipefail)", () => {
  const pipeline = (stages: Reaped["status"][]): Reaped => ({
    status: stages.at(-1)!,
    rusage,
    stages,
  });
  assert.deepEqual(runStatus(pipeline([exited(1), exited(2), exited(0)])), exited(2));
  assert.deepEqual(runStatus(pipeline([exited(0), exited(0)])), exited(0));
  assert.deepEqual(runStatus({ status: exited(5), rusage }), exited(5));
});

Deno.test("finishOutput: callback error, then feed error, then abort, then overflow", () => {
  const everything = () => {
    const r = run({
      droppedBytes: 7,
      maxOutput: 1,
      abortReason: "why",
      feedError: new CoreError("EIO", "write child stdin", "x"),
    });
    r.supervision.abort();
    r.supervision.callbackFailed(new RangeError("from the callback"));
    return r;
  };
  assert.throws(() => finishOutput(everything()), RangeError);
  const noCallback = everything();
  noCallback.supervision.callbackError = null;
  assert.throws(() => finishOutput(noCallback), (e) => e instanceof CoreError && e.code === "EIO");
  const aborted = run({ droppedBytes: 7, maxOutput: 1, abortReason: "why" });
  aborted.supervision.abort();
  assert.throws(() => finishOutput(aborted), (e) => e instanceof AbortedError && e.cause === "why");
  assert.throws(
    () => finishOutput(run({ droppedBytes: 7, maxOutput: 1 })),
    (e) => e instanceof OutputOverflowError && e.output.stdout.length === 1,
  );
});
