/**
 * A registry entry's snapshot: times on the epoch clock from the monotonic one, the rings'
 * bytes and drops, and JSON with the output as text. No child.
 * @module
 */
import assert from "node:assert/strict";
import { snapshotOf, type SnapshotSource } from "../ffi/run/registry_snapshot.ts";
import { RingBuffer } from "../ffi/run/ring_buffer.ts";
import type { ProcessHandle } from "../ffi/run/registry.ts";

function source(overrides: Partial<SnapshotSource> = {}): SnapshotSource {
  const stdout = new RingBuffer(4);
  stdout.push(new TextEncoder().encode("hello"));
  return {
    handle: "h1" as ProcessHandle,
    child: { pid: 10 },
    argv: ["echo", "hello"],
    startedAtEpoch: 1_000_000,
    startedMono: 500,
    endedAt: 0,
    tag: "t",
    background: false,
    status: "running",
    exit: null,
    stdout,
    stderr: new RingBuffer(4),
    ...overrides,
  };
}

Deno.test("snapshotOf: a finished entry's end and duration come from the monotonic clock", () => {
  const done = snapshotOf(
    source({ endedAt: 750, status: "exited", exit: { kind: "exited", code: 0 } }),
  );
  assert.equal(done.durationMs, 250);
  assert.equal(done.endedAt, 1_000_250);
  assert.deepEqual(done.stdout, new TextEncoder().encode("ello"));
  assert.equal(done.stdoutDropped, 1);
  assert.equal(done.stderrDropped, 0);
  assert.equal(done.pid, 10);
});

Deno.test("snapshotOf: a running entry has no end and a growing duration", () => {
  const running = snapshotOf(source({ startedMono: performance.now() - 40 }));
  assert.equal(running.endedAt, null);
  assert.ok(running.durationMs >= 40);
});

Deno.test("snapshotOf: JSON has the output as text and no toJSON key among the fields", () => {
  const snapshot = snapshotOf(source());
  assert.equal(Object.keys(snapshot).includes("toJSON"), false);
  const json = JSON.parse(JSON.stringify(snapshot));
  assert.equal(json.stdout, "ello");
  assert.equal(json.stderr, "");
  assert.deepEqual(json.argv, ["echo", "hello"]);
  assert.equal(json.handle, "h1");
});
