/**
 * runSync on every backend: exit codes and signals, capture, stdin, env, cwd, argv0, PATH
 * search, the child's signal state and process groups.
 * @module
 */
import assert from "node:assert/strict";
import { BACKENDS, runWith } from "./_backends.ts";
import { probePath } from "./fixtures/build.ts";
import { spawnTest, text } from "./_harness.ts";

const probe = probePath();
const encoder = new TextEncoder();

for (const backend of BACKENDS) {
  const run = runWith(backend);

  spawnTest(`[${backend}] exit codes come back exactly`, () => {
    for (const code of [0, 1, 7, 127, 255]) {
      const out = run({ program: probe, args: ["exit", String(code)] });
      assert.deepEqual(out.status, { kind: "exited", code });
      assert.equal(out.success, code === 0);
    }
  });

  spawnTest(`[${backend}] a signal death is reported as signaled with its name`, () => {
    const out = run({ program: "sh", args: ["-c", "kill -TERM $$"] });
    assert.deepEqual(out.status, {
      kind: "signaled",
      signal: 15,
      signalName: "SIGTERM",
      coreDumped: false,
    });
    assert.equal(out.success, false);
  });

  spawnTest(`[${backend}] stdout and stderr are captured separately`, () => {
    const out = run({ program: "sh", args: ["-c", "printf out; printf err >&2"] });
    assert.equal(text(out.stdout), "out");
    assert.equal(text(out.stderr), "err");
    assert.ok(out.pid > 0);
    assert.ok(out.durationMs > 0);
    assert.ok(out.rusage.maxRssKiB > 0);
  });

  spawnTest(`[${backend}] stdout null and stderr null capture nothing`, () => {
    const out = run({
      program: "sh",
      args: ["-c", "echo out; echo err >&2"],
      stdout: "null",
      stderr: "null",
    });
    assert.equal(out.stdout.length, 0);
    assert.equal(out.stderr.length, 0);
    assert.equal(out.success, true);
  });

  spawnTest(`[${backend}] stdin bytes round-trip through cat`, () => {
    const data = encoder.encode("line one\nline two\n\u00e9\u4e2d");
    const out = run({ program: "cat", stdin: data });
    assert.deepEqual(out.stdout, data);
  });

  spawnTest(`[${backend}] stdin defaults to /dev/null: cat sees EOF at once`, () => {
    const out = run({ program: "cat" });
    assert.equal(out.stdout.length, 0);
    assert.equal(out.success, true);
  });

  spawnTest(`[${backend}] empty stdin bytes: the child sees EOF`, () => {
    const out = run({ program: "wc", args: ["-c"], stdin: new Uint8Array(0) });
    assert.equal(text(out.stdout).trim(), "0");
  });

  spawnTest(`[${backend}] env adds to the inherited environment`, () => {
    const out = run({ program: probe, args: ["env"], env: { CORESHIFT_T: "v1" } });
    const entries = text(out.stdout).split("\0");
    assert.ok(entries.includes("CORESHIFT_T=v1"));
    assert.ok(entries.some((e) => e.startsWith("PATH=")), "inherited PATH is kept");
  });

  spawnTest(`[${backend}] env overrides an inherited variable instead of duplicating it`, () => {
    const out = run({ program: probe, args: ["env"], env: { PATH: "/nowhere" } });
    const paths = text(out.stdout).split("\0").filter((e) => e.startsWith("PATH="));
    assert.deepEqual(paths, ["PATH=/nowhere"]);
  });

  spawnTest(`[${backend}] clearEnv starts from nothing`, () => {
    const out = run({ program: probe, args: ["env"], clearEnv: true, env: { ONLY: "me" } });
    assert.deepEqual(text(out.stdout).split("\0").filter(Boolean), ["ONLY=me"]);
    const empty = run({ program: probe, args: ["env"], clearEnv: true });
    assert.equal(empty.stdout.length, 0);
  });

  spawnTest(
    `[${backend}] cwd changes the child's directory; relative program paths resolve against it`,
    () => {
      const dir = Deno.makeTempDirSync();
      try {
        Deno.copyFileSync(probe, `${dir}/probe-copy`);
        Deno.chmodSync(`${dir}/probe-copy`, 0o755);
        const out = run({ program: "pwd", cwd: dir });
        assert.equal(text(out.stdout).trim(), Deno.realPathSync(dir));
        const rel = run({ program: "./probe-copy", args: ["exit", "5"], cwd: dir });
        assert.deepEqual(rel.status, { kind: "exited", code: 5 });
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    },
  );

  spawnTest(`[${backend}] argv0 is what the child sees as its name`, () => {
    const out = run({ program: "sh", argv0: "custom-name", args: ["-c", "echo $0"] });
    assert.equal(text(out.stdout).trim(), "custom-name");
  });

  spawnTest(`[${backend}] PATH from env decides the search`, () => {
    const dir = Deno.makeTempDirSync();
    try {
      Deno.copyFileSync(probe, `${dir}/only-here`);
      Deno.chmodSync(`${dir}/only-here`, 0o755);
      const out = run({ program: "only-here", args: ["exit", "4"], env: { PATH: dir } });
      assert.deepEqual(out.status, { kind: "exited", code: 4 });
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });

  // glibc's posix_spawn sets its two internal RT signals (32, 33) to SIG_IGN in the child on
  // purpose; the standard signals 1–31 are what programs rely on, and all must be default.
  spawnTest(
    `[${backend}] the child has an empty signal mask and no standard signal ignored`,
    () => {
      const out = run({ program: probe, args: ["status"] });
      const lines = text(out.stdout);
      assert.match(lines, /^SigBlk:\s+0+$/m);
      const ignored = BigInt("0x" + /^SigIgn:\s+([0-9a-f]+)$/m.exec(lines)![1]);
      assert.equal(ignored & (1n << 12n), 0n, "SIGPIPE (bit 12) must not be ignored");
      assert.equal(ignored & 0x7fffffffn, 0n, "no signal 1–31 is ignored in the child");
    },
  );

  spawnTest(`[${backend}] pgroup leader: the child leads its own group`, () => {
    const out = run({ program: probe, args: ["status"], pgroup: "leader" });
    const t = text(out.stdout);
    const pid = Number(/^pid (\d+)$/m.exec(t)![1]);
    assert.equal(Number(/^pgid (\d+)$/m.exec(t)![1]), pid);
    assert.notEqual(Number(/^sid (\d+)$/m.exec(t)![1]), pid);
  });

  spawnTest(`[${backend}] pgroup isolated: the child leads a new session`, () => {
    const out = run({ program: probe, args: ["status"], pgroup: "isolated" });
    const t = text(out.stdout);
    const pid = Number(/^pid (\d+)$/m.exec(t)![1]);
    assert.equal(Number(/^sid (\d+)$/m.exec(t)![1]), pid);
    assert.equal(Number(/^pgid (\d+)$/m.exec(t)![1]), pid);
  });

  spawnTest(`[${backend}] pgroup none: the child stays in our group`, () => {
    // Read from the child: qemu-user fakes this process's own /proc/self/stat.
    const t = text(run({ program: probe, args: ["status"] }).stdout);
    assert.equal(Number(/^pgid (\d+)$/m.exec(t)![1]), Number(/^parent_pgid (\d+)$/m.exec(t)![1]));
  });
}
