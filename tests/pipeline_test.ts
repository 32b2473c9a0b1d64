/**
 * Pipelines on every backend, sync and async: kernel pipes between stages, one process group,
 * each stage's status with pipefail, one timeout, early exit and abort for the whole pipeline,
 * stdin into the first stage, and nothing left behind when a stage cannot start.
 * @module
 */
import assert from "node:assert/strict";
import { CoreError, type Output, pipeline, pipelineSync } from "../mod.ts";
import { BACKENDS } from "./_backends.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";

type Stages = Parameters<typeof pipelineSync>[0];
type Options = Parameters<typeof pipelineSync>[1];

const RUNS: Record<string, (stages: Stages, options: Options) => Promise<Output>> = {
  sync: (stages, options) => Promise.resolve(pipelineSync(stages, options)),
  async: (stages, options) => pipeline(stages, options).output(),
};

async function outcome(start: () => Promise<Output>): Promise<Output | CoreError> {
  try {
    return await start();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
}

for (const backend of BACKENDS) {
  for (const [mode, run] of Object.entries(RUNS)) {
    const name = `[${backend}] ${mode}`;

    spawnTest(`${name}: printf | sort | uniq -c, each stage's status`, async () => {
      const out = await run([
        { program: "printf", args: ["b\\na\\nb\\n"] },
        { program: "sort" },
        { program: "uniq", args: ["-c"] },
      ], { backend });
      assert.equal(text(out.stdout).replace(/ +/g, " ").trim(), "1 a\n 2 b");
      assert.equal(out.success, true);
      assert.deepEqual(out.stages, [0, 0, 0].map((code) => ({ kind: "exited", code })));
    });

    spawnTest(`${name}: pipefail: the rightmost failing stage decides`, async () => {
      const out = await run([
        { program: "sh", args: ["-c", "exit 3"] },
        { program: "sh", args: ["-c", "cat; exit 4"] },
        { program: "cat" },
      ], { backend });
      assert.deepEqual(out.status, { kind: "exited", code: 4 });
      assert.equal(out.success, false);
      assert.deepEqual(out.stages?.map((s) => s.kind === "exited" && s.code), [3, 4, 0]);
    });

    spawnTest(`${name}: stdin feeds the first stage; every stage in one new group`, async () => {
      const pgid = 'cut -d" " -f5 /proc/$$/stat';
      const out = await run([
        { program: "sh", args: ["-c", `tr a-z A-Z; ${pgid}`] },
        { program: "sh", args: ["-c", `cat; ${pgid}`] },
      ], { backend, stdin: new TextEncoder().encode("hello\n") });
      const [word, first, second] = text(out.stdout).trim().split("\n");
      assert.equal(word, "HELLO");
      assert.equal(first, second, "both stages in one group");
      assert.notEqual(Number(first), Deno.pid, "not ours");
    });

    spawnTest(`${name}: one timeout stops every stage`, async () => {
      const started = performance.now();
      const out = await run([
        { program: "sleep", args: ["10"] },
        { program: "sleep", args: ["10"] },
      ], { backend, timeoutMs: 200 });
      assert.equal(out.timedOut, true);
      assert.equal(out.success, false);
      assert.deepEqual(out.stages?.map((s) => s.kind), ["signaled", "signaled"]);
      assert.ok(performance.now() - started < 3000, "the first stage outlived the timeout");
    });

    spawnTest(
      `${name}: early exit on the last stage's output stops the writer upstream`,
      async () => {
        const out = await run([{ program: "yes" }, { program: "cat" }], {
          backend,
          earlyExit: (chunk) => chunk.includes(0x0a),
          afterEarlyExit: "kill",
        });
        assert.equal(out.stdoutEarlyExited, true);
        assert.equal(out.stages?.length, 2);
      },
    );

    spawnTest(`${name}: a stage that cannot start is an error; nothing is left`, async () => {
      const result = await outcome(() =>
        run([{ program: "sleep", args: ["5"] }, { program: "/nonexistent/stage" }], { backend })
      );
      assert.ok(result instanceof CoreError, String(result));
      assert.equal(result.code, "ENOENT");
    });
  }
}

spawnTest("async pipeline: an AbortSignal stops every stage", async () => {
  const result = await outcome(() =>
    pipeline([{ program: "sleep", args: ["10"] }, { program: "cat" }], {
      signal: AbortSignal.timeout(150),
    }).output()
  );
  assert.ok(result instanceof CoreError && result.code === "Aborted", String(result));
});

spawnTest("sync pipeline: `yes | head -1` ends when head does; yes dies of SIGPIPE", () => {
  const out = pipelineSync([{ program: "yes" }, { program: "head", args: ["-1"] }]);
  assert.equal(text(out.stdout), "y\n");
  assert.equal(out.stages?.[0].kind === "signaled" && out.stages[0].signalName, "SIGPIPE");
  assert.equal(out.success, false, "pipefail");
});

Deno.test("pipeline input is validated before any stage starts", () => {
  assertCoreError(() => pipelineSync([]), "InvalidArgument");
  assertCoreError(
    () => pipelineSync([{ program: "true", timeoutMs: 5 } as unknown as Stages[number]]),
    "InvalidArgument",
  );
  assertCoreError(
    () => pipelineSync([{ program: "true" }, { program: "cat" }], { stdout: "piped" }),
    "InvalidArgument",
  );
});

for (
  const [entry, run] of Object.entries({
    pipelineSync: (s: Stages, o?: unknown) =>
      pipelineSync(s, o as Parameters<typeof pipelineSync>[1]),
    pipeline: (s: Stages, o?: unknown) => pipeline(s, o as Parameters<typeof pipeline>[1]),
  })
) {
  spawnTest(`${entry}: options the type refuses are typed errors, and no stage starts`, () => {
    const two: Stages = [{ program: "true" }, { program: "cat" }];
    const refused: [unknown, string][] = [
      [{ pgroup: "none" }, "InvalidArgument"],
      [{ pgroup: { join: 1 } }, "InvalidArgument"],
      [{ extraFds: { 3: 0 } }, "InvalidArgument"],
      [{ program: "cat" }, "InvalidArgument"],
      [{ args: ["x"] }, "InvalidArgument"],
      [{ argv0: "AV0" }, "InvalidArgument"],
      [[], "InvalidArgument"],
      [{ pty: { columns: 80, rows: 24 } }, "UnsupportedOption"],
    ];
    for (const [options, code] of refused) {
      const e = assertCoreError(() => run(two, options), code);
      assert.match(e.message, /pipeline|pty|stage/, JSON.stringify(options));
    }
    // No options at all is fine, null as much as undefined.
    if (entry === "pipelineSync") assert.equal((run(two, null) as Output).success, true);
  });

  spawnTest(`${entry}: a stage before the last cannot pipe or capture its stderr`, () => {
    for (const stderr of ["piped", "capture"] as const) {
      const e = assertCoreError(
        () => run([{ program: "true", stderr }, { program: "cat" }]),
        "InvalidArgument",
      );
      assert.match(e.message, /only the last stage is read/);
    }
  });

  spawnTest(
    `${entry}: a bad file of the last stage is an error before the first stage runs`,
    () => {
      const dir = Deno.makeTempDirSync();
      try {
        const marker = `${dir}/first-ran`;
        const missing = `${dir}/missing/out`;
        assertCoreError(
          () =>
            run([{ program: "touch", args: [marker] }, { program: "cat" }], {
              stdout: { file: missing, create: false },
            }),
          "ENOENT",
        );
        assert.throws(() => Deno.statSync(marker), Deno.errors.NotFound, "the first stage ran");
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    },
  );
}

spawnTest("pipelines: a timeout past what a timer holds is clamped; a tiny one fires", async () => {
  const stages: Stages = [{ program: "echo", args: ["x"] }, { program: "cat" }];
  assert.equal(pipelineSync(stages, { timeoutMs: 1e22 }).success, true);
  assert.equal((await pipeline(stages, { timeoutMs: 1e22 }).output()).success, true);
  const slow: Stages = [{ program: "sleep", args: ["5"] }, { program: "cat" }];
  assert.equal(pipelineSync(slow, { timeoutMs: 1e-6 }).timedOut, true);
  assert.equal((await pipeline(slow, { timeoutMs: 1e-6 }).output()).timedOut, true);
});
