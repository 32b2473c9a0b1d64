/**
 * The prebuilt bench children: each is what its C says on this arch, and a file whose bytes
 * differ from the committed hash is refused.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSync } from "../mod.ts";
import { benchChildren, prebuiltChildren } from "../bench/children/locate.ts";
import { spawnTest } from "./_harness.ts";

const prebuiltRoot = join(dirname(fileURLToPath(import.meta.url)), "../bench/children/prebuilt");

spawnTest("bench children: prebuilt for this arch, and each does what its C says", () => {
  const children = benchChildren();
  assert.equal(children.origin, "prebuilt", children.notes.join("; "));
  const noop = runSync({ program: children.noop });
  assert.deepEqual([noop.status, noop.stdout.length], [{ kind: "exited", code: 0 }, 0]);
  const [writer, ...args] = children.writer(100_003);
  const wrote = runSync({ program: writer, args, maxOutput: 200_000 });
  assert.equal(wrote.stdout.length, 100_003);
  assert.ok(wrote.stdout.every((b) => b === 0));
  const [linger] = children.linger;
  const early = runSync({
    program: linger,
    earlyExit: (chunk) => new TextDecoder().decode(chunk).includes("ready\n"),
    afterEarlyExit: "kill",
    timeoutMs: 10_000,
  });
  assert.equal(new TextDecoder().decode(early.stdout), "ready\n");
  assert.equal(early.timedOut, false, "it said ready and was killed after the callback");
  assert.equal(early.status.kind, "signaled", "it was still waiting when it was killed");
});

Deno.test("bench children: a prebuilt file with other bytes is not used", () => {
  const copy = Deno.makeTempDirSync();
  try {
    for (const arch of ["x86_64", "aarch64"]) {
      Deno.mkdirSync(join(copy, `linux-${arch}`));
      for (const name of ["noop", "writer", "linger"]) {
        Deno.copyFileSync(
          join(prebuiltRoot, `linux-${arch}`, name),
          join(copy, `linux-${arch}`, name),
        );
      }
    }
    const notes: string[] = [];
    assert.ok(prebuiltChildren("aarch64", notes, copy), "an intact copy is used");
    const writer = join(copy, "linux-aarch64", "writer");
    const bytes = Deno.readFileSync(writer);
    bytes[bytes.length - 1] ^= 1;
    Deno.writeFileSync(writer, bytes);
    assert.equal(prebuiltChildren("aarch64", notes, copy), null);
    assert.match(notes.join("\n"), /prebuilt writer has SHA-256 [0-9a-f]{64}, expected/);
    assert.equal(prebuiltChildren("riscv64", notes, copy), null);
    assert.match(notes.at(-1)!, /no prebuilt bench children for riscv64/);
  } finally {
    Deno.removeSync(copy, { recursive: true });
  }
});

const qemu = (() => {
  try {
    return new Deno.Command("qemu-aarch64-static", { args: ["--version"] }).outputSync().success;
  } catch {
    return false;
  }
})();

spawnTest(
  "bench children: the aarch64 prebuilt ones do what their C says (under qemu-aarch64-static)",
  () => {
    const dir = join(prebuiltRoot, "linux-aarch64");
    const run = (name: string, args: string[] = [], timeoutMs = 20_000) =>
      runSync({ program: "qemu-aarch64-static", args: [join(dir, name), ...args], timeoutMs });
    assert.deepEqual(run("noop").status, { kind: "exited", code: 0 });
    const wrote = run("writer", ["70001"]);
    assert.deepEqual([wrote.status.kind, wrote.stdout.length], ["exited", 70_001]);
    const linger = runSync({
      program: "qemu-aarch64-static",
      args: [join(dir, "linger")],
      earlyExit: (chunk) => new TextDecoder().decode(chunk).includes("ready\n"),
      afterEarlyExit: "kill",
      timeoutMs: 20_000,
    });
    assert.equal(new TextDecoder().decode(linger.stdout), "ready\n");
    assert.equal(linger.timedOut, false);
  },
  !qemu && "qemu-aarch64-static is not installed (CI installs it)",
);
