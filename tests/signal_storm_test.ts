/**
 * Deadlines under a storm of signals this process listens to. Each signal that reaches the
 * poller's worker thread fails its parked `epoll_wait` with EINTR; a poller that took a run of
 * failed waits for a broken set and woke every handler made timerfd deadlines fire early, and pty
 * children (slower to wind down, so more often mid-wait) were timed out after a fraction of their
 * timeout. The pipe and no-timeout runs are the controls the case was found with.
 * @module
 */
import assert from "node:assert/strict";
import { spawn, type SpawnOptions } from "../mod.ts";
import { EMULATED_VFORK, spawnTest } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

const LISTENED = ["SIGUSR2", "SIGWINCH", "SIGURG", "SIGCHLD"] as const;
const CONCURRENT = 6;
const skip = EMULATED_VFORK && "qemu-user: the storm case is about timing, proven natively";

/** Runs `options` over and over, `CONCURRENT` at a time, for `ms` under the storm. */
async function underStorm(options: SpawnOptions, ms: number) {
  const noop = () => {};
  for (const name of LISTENED) Deno.addSignalListener(name, noop);
  const storm = new Deno.Command(probePath(), {
    args: ["storm", String(Deno.pid)],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let runs = 0;
  const early: string[] = [];
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const out = await spawn(options).output();
      runs++;
      const took = performance.now() - started;
      if (out.timedOut || !out.success) {
        early.push(`${took.toFixed(0)} ms: ${JSON.stringify(out.status)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENT }, worker));
  } finally {
    storm.kill("SIGKILL");
    await storm.status;
    for (const name of LISTENED) Deno.removeSignalListener(name, noop);
  }
  return { runs, early };
}

const child = { program: "sh", args: ["-c", "echo hi; sleep 0.02"] };
const pty = { columns: 80, rows: 24 };

spawnTest("storm: pty children with a 20 s timeout are never timed out early", async () => {
  const { runs, early } = await underStorm({ ...child, pty, timeoutMs: 20_000 }, 8_000);
  assert.deepEqual(early, [], `${early.length} of ${runs} runs ended early`);
  assert.ok(runs > 50, `the storm left room for only ${runs} runs`);
}, skip);

spawnTest("storm control: piped children with a timeout", async () => {
  const { runs, early } = await underStorm({ ...child, timeoutMs: 20_000 }, 2_000);
  assert.deepEqual(early, [], `${early.length} of ${runs} runs ended early`);
}, skip);

spawnTest("storm control: pty children without a timeout", async () => {
  const { runs, early } = await underStorm({ ...child, pty }, 2_000);
  assert.deepEqual(early, [], `${early.length} of ${runs} runs ended early`);
}, skip);
