import assert from "node:assert/strict";
import { BACKENDS, runWith } from "./_backends.ts";
import { probePath } from "./fixtures/build.ts";
import { childPids, openFds, spawnTest } from "./_harness.ts";

const probe = probePath();

for (const backend of BACKENDS) {
  const run = runWith(backend);

  spawnTest(`[${backend}] 1,000 spawns in a loop: open fd count and zombie count unchanged`, () => {
    const fds = openFds().length;
    const children = childPids();
    for (let i = 0; i < 1000; i++) {
      const out = run({
        program: probe,
        args: ["exit", String(i % 3)],
        stdin: i % 2 ? new Uint8Array([1, 2, 3]) : "null",
        timeoutMs: i % 5 === 0 ? 10_000 : undefined,
      });
      assert.equal(out.status.kind === "exited" && out.status.code, i % 3);
      if (i % 100 === 0) {
        assert.equal(openFds().length, fds, `fd count drifted at spawn ${i}`);
        assert.deepEqual(childPids(), children, `children left at spawn ${i}`);
      }
    }
  });

  spawnTest(`[${backend}] failed spawns in a loop leave nothing behind either`, () => {
    const fds = openFds().length;
    for (let i = 0; i < 200; i++) {
      assert.throws(() => run({ program: "/nonexistent/coreshift" }));
      assert.throws(() => run({ program: "true", cwd: "/nonexistent" }));
    }
    assert.equal(openFds().length, fds);
  });
}
