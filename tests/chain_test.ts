/** `chain` and `stageFiles`. */
import assert from "node:assert/strict";
import { chain } from "../mod.ts";
import { assertRejectsCoreError, spawnTest, text } from "./_harness.ts";

spawnTest("chain: stops at the first failure and says which stage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const marker = `${dir}/ran`;
    const result = await chain([["true"], ["sh", "-c", "echo half; exit 3"], ["touch", marker]]);
    assert.equal(result.success, false);
    assert.equal(result.failure?.stage, 1);
    assert.equal(result.failure?.reason, "exited with 3");
    assert.equal(result.outputs.length, 2);
    assert.equal(text(result.outputs[1].stdout), "half\n");
    await assert.rejects(Deno.stat(marker), Deno.errors.NotFound, "the third stage never ran");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

spawnTest("chain: staged files are in place, with their mode, before the first stage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const result = await chain([
      ["stat", "-c", "%a", `${dir}/run.sh`, `${dir}/data.txt`],
      [`${dir}/run.sh`],
    ], {
      stageFiles: [
        { path: `${dir}/run.sh`, data: '#!/bin/sh\ncat "$(dirname "$0")/data.txt"\n', mode: 0o750 },
        { path: `${dir}/data.txt`, data: new TextEncoder().encode("payload"), mode: 0o600 },
      ],
    });
    assert.equal(result.success, true, result.failure?.reason);
    assert.equal(text(result.outputs[0].stdout), "750\n600\n");
    assert.equal(text(result.outputs[1].stdout), "payload");
    const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(leftovers, ["data.txt", "run.sh"], "no temporary file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

spawnTest("chain: a stage that cannot start is the failure, with its error", async () => {
  const result = await chain([["true"], ["/no/such/program"]]);
  assert.equal(result.failure?.stage, 1);
  assert.equal(result.failure?.error?.code, "ENOENT");
});

spawnTest("chain: a timeout is named in the failure", async () => {
  const result = await chain([["sleep", "5"]], { timeoutMs: 50 });
  assert.equal(result.failure?.reason, "killed by SIGKILL (timeout)");
});

Deno.test("chain: an empty stage is refused", async () => {
  await assertRejectsCoreError(chain([[]]), "InvalidArgument");
});

spawnTest("chain: totalTimeoutMs bounds the whole chain; later stages do not start", async () => {
  const started = performance.now();
  const result = await chain([["sleep", "0.15"], ["sleep", "5"], ["echo", "never"]], {
    totalTimeoutMs: 400,
  });
  assert.equal(result.success, false);
  assert.equal(result.failure?.stage, 1);
  assert.match(result.failure!.reason, /timeout/);
  assert.equal(result.outputs.length, 2, "the third stage never ran");
  assert.ok(performance.now() - started < 2000, "the second stage outlived the chain's budget");
  await assert.rejects(chain([["true"]], { totalTimeoutMs: -1 }), /totalTimeoutMs/);
});

spawnTest(
  "chain: a total timeout past what a timer holds is clamped; a tiny one fires",
  async () => {
    const long = await chain([["true"], ["true"]], { totalTimeoutMs: 1e22 });
    assert.equal(long.success, true, long.failure?.reason);
    const short = await chain([["sleep", "5"]], { totalTimeoutMs: 1e-6 });
    assert.equal(short.success, false);
    assert.match(short.failure!.reason, /timeout/i);
  },
);
