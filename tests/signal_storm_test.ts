/**
 * Deadlines under a storm of signals this process listens to. Each signal that reaches the
 * poller's worker thread fails its parked `epoll_wait` with EINTR; a poller that took a run of
 * failed waits for a broken set and woke every handler made timerfd deadlines fire early, and pty
 * children (slower to wind down, so more often mid-wait) were timed out after a fraction of their
 * timeout. The pipe and no-timeout runs are the controls the case was found with.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpawnOptions } from "../mod.ts";
import { EMULATED_VFORK, spawnTest } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

const runner = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "storm_runner.ts");
const skip = EMULATED_VFORK && "qemu-user: the storm case is about timing, proven natively";

/**
 * Runs `options` over and over for `ms` under the storm, in a Deno of its own (see
 * fixtures/storm_runner.ts for why not in this one).
 */
async function underStorm(options: SpawnOptions, ms: number) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", runner, probePath(), JSON.stringify(options), String(ms)],
    stdin: "null",
    // A runner stalled past any timeout of its children fails instead of stalling the suite.
    signal: AbortSignal.timeout(ms + 240_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `the storm runner failed (${out.signal ?? out.code}): ${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout)) as { runs: number; early: string[] };
}

const child = { program: "sh", args: ["-c", "echo hi; sleep 0.02"] };
const pty = { columns: 80, rows: 24 };

spawnTest("storm: pty children with a 20 s timeout are never timed out early", async () => {
  const { runs, early } = await underStorm({ ...child, pty, timeoutMs: 20_000 }, 12_000);
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
