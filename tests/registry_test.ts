/** `ProcessRegistry`: entries, rings, limits, tags, snapshots and disposal. */
import assert from "node:assert/strict";
import { CoreError, type ProcessHandle, ProcessRegistry } from "../mod.ts";
import { probePath, spewPattern } from "./fixtures/build.ts";
import {
  alive,
  assertCoreError,
  assertRejectsCoreError,
  eventually,
  spawnTest,
  text,
} from "./_harness.ts";

const probe = probePath();
const sleeper = { program: "sleep", args: ["30"] };

spawnTest("registry: spawn, poll, wait; output goes to the rings", async () => {
  await using registry = new ProcessRegistry();
  const h = registry.spawn({ program: "sh", args: ["-c", "echo out; echo err >&2; exit 4"] });
  const done = await registry.wait(h);
  assert.equal(done.status, "exited");
  assert.deepEqual(done.exit, { kind: "exited", code: 4 });
  assert.equal(text(done.stdout), "out\n");
  assert.equal(text(done.stderr), "err\n");
  assert.deepEqual(registry.poll(h).exit, done.exit);
  assert.equal(registry.list().length, 1);
});

spawnTest("registry: the ring keeps the newest output and counts drops", async () => {
  await using registry = new ProcessRegistry({ bufferBytes: 1000 });
  const h = registry.spawn({ program: probe, args: ["spew", "5000"] });
  const info = await registry.wait(h);
  const expected = spewPattern(5000).slice(4000);
  assert.deepEqual(info.stdout, expected);
  assert.equal(info.stdoutDropped, 4000);
});

spawnTest("registry: wait with a timeout leaves a running child running", async () => {
  await using registry = new ProcessRegistry();
  const h = registry.spawn(sleeper);
  const info = await registry.wait(h, 50);
  assert.equal(info.status, "running");
  assert.equal(info.exit, null);
  assert.ok(alive(info.pid));
  const killed = await registry.kill(h);
  assert.equal(killed.status, "killed");
  assert.equal(killed.exit?.kind, "signaled");
});

spawnTest("registry: timeoutMs gives the timedOut status", async () => {
  await using registry = new ProcessRegistry();
  const info = await registry.wait(registry.spawn({ ...sleeper, timeoutMs: 50 }));
  assert.equal(info.status, "timedOut");
});

spawnTest("registry: at capacity the oldest finished entry goes first", async () => {
  await using registry = new ProcessRegistry({ capacity: 3 });
  const a = registry.spawn(sleeper);
  const b = registry.spawn({ program: "true" });
  const c = registry.spawn(sleeper);
  await registry.wait(b);
  const d = registry.spawn(sleeper);
  assertCoreError(() => registry.poll(b), "UnknownHandle");
  assert.deepEqual(registry.list().map((e) => e.handle), [a, c, d]);
});

spawnTest("registry: with nothing finished, the oldest running entry is killed", async () => {
  await using registry = new ProcessRegistry({ capacity: 2 });
  const a = registry.spawn(sleeper);
  const pidA = registry.poll(a).pid;
  const b = registry.spawn(sleeper);
  const c = registry.spawn(sleeper);
  assertCoreError(() => registry.poll(a), "UnknownHandle");
  assert.deepEqual(registry.list().map((e) => e.handle), [b, c]);
  assert.ok(await eventually(() => !alive(pidA)), "the evicted child was killed");
});

spawnTest("registry: the background limit refuses with a typed error", async () => {
  await using registry = new ProcessRegistry({ backgroundLimit: 2 });
  registry.spawn(sleeper, { background: true });
  const second = registry.spawn(sleeper, { background: true });
  const error = assertCoreError(
    () => registry.spawn(sleeper, { background: true }),
    "BackgroundLimit",
  );
  assert.match(error.message, /limit is 2/);
  registry.spawn(sleeper); // foreground children do not count
  await registry.kill(second);
  registry.spawn(sleeper, { background: true }); // room again
  assert.equal(registry.list().filter((e) => e.status === "running").length, 3);
});

spawnTest("registry: cancelByTag sends SIGINT, then SIGKILL to a child that traps it", async () => {
  await using registry = new ProcessRegistry({ cancelGraceMs: 300 });
  const polite = registry.spawn(sleeper, { tag: "call-1" });
  const stubborn = registry.spawn(
    { program: "sh", args: ["-c", "trap '' INT; echo armed; sleep 30"] },
    { tag: "call-1" },
  );
  const other = registry.spawn(sleeper, { tag: "call-2" });
  assert.ok(await eventually(() => text(registry.poll(stubborn).stdout) === "armed\n"));
  const started = performance.now();
  assert.equal(await registry.cancelByTag("call-1"), 2);
  assert.ok(performance.now() - started >= 250, "the stubborn child held out for the grace");
  assert.equal(registry.poll(polite).status, "killed");
  assert.deepEqual(registry.poll(polite).exit?.kind, "signaled");
  assert.equal((registry.poll(polite).exit as { signalName: string }).signalName, "SIGINT");
  assert.equal((registry.poll(stubborn).exit as { signalName: string }).signalName, "SIGKILL");
  assert.equal(registry.poll(other).status, "running");
});

spawnTest("registry: release forgets an entry and kills it if running", async () => {
  await using registry = new ProcessRegistry();
  const h = registry.spawn(sleeper);
  const pid = registry.poll(h).pid;
  assert.equal(registry.release(h), true);
  assert.equal(registry.release(h), false);
  assertCoreError(() => registry.poll(h), "UnknownHandle");
  await assertRejectsCoreError(registry.wait(h), "UnknownHandle");
  assert.ok(await eventually(() => !alive(pid)));
});

spawnTest("registry: disposing kills every group, grandchildren included", async () => {
  const registry = new ProcessRegistry();
  const handles: ProcessHandle[] = [];
  for (let i = 0; i < 3; i++) {
    handles.push(registry.spawn({ program: "sh", args: ["-c", "sleep 30 & echo $!; wait"] }));
  }
  const grandchildren: number[] = [];
  for (const h of handles) {
    assert.ok(await eventually(() => registry.poll(h).stdout.length > 0));
    grandchildren.push(parseInt(text(registry.poll(h).stdout)));
  }
  const pids = handles.map((h) => registry.poll(h).pid);
  await registry[Symbol.asyncDispose]();
  for (const pid of [...pids, ...grandchildren]) {
    assert.ok(await eventually(() => !alive(pid)), `${pid} outlived the registry`);
  }
  assertCoreError(() => registry.spawn(sleeper), "InvalidArgument");
});

Deno.test("registry: limits are validated", () => {
  assert.throws(() => new ProcessRegistry({ capacity: 0 }), CoreError);
  assert.throws(() => new ProcessRegistry({ bufferBytes: 1.5 }), CoreError);
});

spawnTest("registry: spawn's meta and options are validated; nothing starts", async () => {
  await using registry = new ProcessRegistry();
  const bad: [unknown, unknown][] = [
    [{ program: "true" }, { tag: 5 }],
    [{ program: "true" }, { tga: "typo" }],
    [{ program: "true" }, { background: "yes" }],
    [{ program: "true", dieWithParent: null }, {}],
    [null, {}],
  ];
  for (const [options, meta] of bad) {
    assertCoreError(
      () => registry.spawn(options as { program: string }, meta as { tag?: string }),
      "InvalidArgument",
    );
  }
  assert.equal(registry.list().length, 0);
});

spawnTest("registry: a pty child runs; its terminal output lands in the stdout ring", async () => {
  await using registry = new ProcessRegistry();
  const h = registry.spawn({
    program: "sh",
    args: ["-c", "test -t 1 && echo tty; echo err >&2"],
    pty: { columns: 80, rows: 24 },
  });
  const done = await registry.wait(h);
  assert.deepEqual(done.exit, { kind: "exited", code: 0 });
  assert.equal(text(done.stdout).replaceAll("\r\n", "\n"), "tty\nerr\n");
});

spawnTest(
  "registry: readNew gives only what is new since the last read, and what was lost",
  async () => {
    await using registry = new ProcessRegistry({ bufferBytes: 8 });
    const h = registry.spawn({
      program: "sh",
      args: ["-c", "printf abc; sleep 0.2; printf defghijklmnop"],
    });
    assert.ok(await eventually(() => registry.poll(h).stdout.length === 3));
    const first = registry.readNew(h);
    assert.equal(text(first.stdout), "abc");
    assert.equal(first.stdoutLost, 0);
    await registry.wait(h);
    const second = registry.readNew(h);
    assert.equal(text(second.stdout), "ijklmnop", "the ring keeps the newest 8 bytes");
    assert.equal(second.stdoutLost, 5, "defgh were dropped before they were read");
    assert.equal(registry.readNew(h).stdout.length, 0);
  },
);

spawnTest("registry: the report has the command and times, and prints as JSON", async () => {
  await using registry = new ProcessRegistry();
  const before = Date.now();
  const h = registry.spawn({ program: "sh", args: ["-c", "echo out"] });
  const done = await registry.wait(h);
  assert.deepEqual(done.argv, ["sh", "-c", "echo out"]);
  assert.ok(done.startedAt >= before && done.endedAt! >= done.startedAt);
  const json = JSON.parse(JSON.stringify(done));
  assert.equal(json.stdout, "out\n");
  assert.equal(json.handle, h);
  assert.equal(registry.poll(registry.spawn(sleeper)).endedAt, null);
});

spawnTest(
  "registry: cancelByTag takes several tags, null for untagged; cancelAll is graceful",
  async () => {
    await using registry = new ProcessRegistry({ cancelGraceMs: 100 });
    const a = registry.spawn(sleeper, { tag: "a" });
    const b = registry.spawn(sleeper, { tag: "b" });
    const none = registry.spawn(sleeper);
    const c = registry.spawn(sleeper, { tag: "c" });
    assert.equal(await registry.cancelByTag(["a", null]), 2);
    assert.deepEqual([a, none, b].map((h) => registry.poll(h).status), [
      "killed",
      "killed",
      "running",
    ]);
    const stubborn = registry.spawn({ program: "sh", args: ["-c", "trap '' INT; sleep 30"] });
    await new Promise((r) => setTimeout(r, 50)); // let the trap be set
    assert.equal(await registry.cancelAll(), 3);
    for (const h of [b, c, stubborn]) assert.equal(registry.poll(h).status, "killed");
    const exit = registry.poll(stubborn).exit;
    assert.equal(exit?.kind === "signaled" && exit.signalName, "SIGKILL", "SIGINT was ignored");
    await assert.rejects(registry.cancelByTag([3 as unknown as string]), CoreError);
  },
);

spawnTest("registry: pause and resume by handle; kill waits a bounded time", async () => {
  await using registry = new ProcessRegistry();
  const h = registry.spawn(sleeper);
  const { pid } = registry.poll(h);
  assert.equal(registry.pause(h), true);
  assert.ok(await eventually(() => procStateOf(pid) === "T"), "stopped");
  assert.equal(registry.resume(h), true);
  assert.ok(await eventually(() => procStateOf(pid) !== "T"), "continued");
  const started = performance.now();
  const killed = await registry.kill(h, 2000);
  assert.equal(killed.status, "killed");
  assert.ok(performance.now() - started < 2000);
  assert.equal(registry.pause(h), false, "nothing to pause once it ended");
});

function procStateOf(pid: number): string | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0];
  } catch {
    return null;
  }
}

spawnTest("registry: a timeout past what a timer holds is clamped; a tiny one fires", async () => {
  await using registry = new ProcessRegistry();
  const long = await registry.wait(registry.spawn({ program: "true", timeoutMs: 1e22 }));
  assert.equal(long.status, "exited");
  const short = await registry.wait(registry.spawn({ ...sleeper, timeoutMs: 1e-6 }));
  assert.equal(short.status, "timedOut");
});
