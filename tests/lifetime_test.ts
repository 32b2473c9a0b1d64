/**
 * How long a child lives and which fds it gets: `dieWithParent` (a Deno killed with SIGKILL
 * leaves no child behind; a child started off-thread survives its worker thread going idle),
 * the registry's exit hook, and `extraFds` on every backend and entry point.
 * @module
 */
import assert from "node:assert/strict";
import { type Output, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { cloexecPipe, closeFd, readSome } from "../ffi/os/fds.ts";
import { BACKENDS } from "./_backends.ts";
import { alive, assertCoreError, eventually, spawnTest, text } from "./_harness.ts";

const deno = Deno.env.get("CORESHIFT_TEST_DENO") ?? Deno.execPath();
const fixture = new URL("./fixtures/lifetime.ts", import.meta.url).pathname;

/** Starts the fixture in `mode`; yields its stdout lines as they come. */
function startFixture(mode: string) {
  const process = new Deno.Command(deno, {
    args: ["run", "-A", fixture, mode],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`the fixture ended before printing a line (${mode})`);
      buffered += value;
    }
    const at = buffered.indexOf("\n");
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    return line;
  };
  return { process, nextLine, done: () => lines.cancel() };
}

/** SIGKILLs the fixture's Deno (no cleanup of its own can run); its child must die too. */
async function killFixtureThenSeeChildGone(
  f: ReturnType<typeof startFixture>,
  pid: number,
): Promise<void> {
  f.process.kill("SIGKILL");
  await f.process.status;
  await f.done();
  assert.ok(await eventually(() => !alive(pid), 5000), `child ${pid} outlived its parent`);
}

async function childPid(nextLine: () => Promise<string>): Promise<number> {
  const line = await nextLine();
  assert.match(line, /^pid \d+$/);
  return Number(line.slice(4));
}

Deno.test("dieWithParent: a registry child dies with a Deno killed by SIGKILL", async () => {
  const f = startFixture("registry");
  const pid = await childPid(f.nextLine);
  assert.ok(alive(pid));
  await killFixtureThenSeeChildGone(f, pid);
});

Deno.test("dieWithParent: a child started off-thread outlives the idle worker thread, not the process", async () => {
  const f = startFixture("offthread");
  const pid = await childPid(f.nextLine);
  assert.equal(await f.nextLine(), "alive true", "killed when the worker thread went idle");
  await killFixtureThenSeeChildGone(f, pid);
});

Deno.test("registry: Deno.exit kills and reaps children that carry no death signal", async () => {
  const f = startFixture("exit");
  const pid = await childPid(f.nextLine);
  assert.equal((await f.process.status).code, 0);
  await f.done();
  assert.ok(await eventually(() => !alive(pid), 5000), `child ${pid} outlived Deno.exit`);
});

Deno.test("registry killOnSignals: SIGTERM kills and reaps the entries, then exits 128+15", async () => {
  const f = startFixture("signal");
  const pid = await childPid(f.nextLine);
  f.process.kill("SIGTERM");
  assert.equal((await f.process.status).code, 143);
  await f.done();
  assert.ok(await eventually(() => !alive(pid), 5000), `child ${pid} outlived the SIGTERM`);
});

Deno.test("dieWithParent is refused by posixSpawn, which runs no code in the child", () => {
  assertCoreError(
    () => runSync({ program: "true", backend: "posixSpawn", dieWithParent: true }),
    "UnsupportedOption",
  );
});

const ENTRIES: Record<string, (o: SpawnOptions) => Promise<Output>> = {
  runSync: (o) => Promise.resolve(runSync(o)),
  spawn: (o) => spawn(o).output(),
};

/** Reads what is waiting in pipe `fd`. */
function drain(fd: number): string {
  const buf = new Uint8Array(256);
  const n = readSome(fd, buf, "test read");
  return n === "again" ? "" : text(buf.subarray(0, n));
}

for (const backend of BACKENDS) {
  for (const [entry, run] of Object.entries(ENTRIES)) {
    spawnTest(
      `[${backend}] ${entry}: extraFds give the child parent fds under chosen numbers`,
      async () => {
        const a = cloexecPipe("test pipe a");
        const b = cloexecPipe("test pipe b");
        try {
          // Swapped: each source's number is the other's target, so a naive dup would clobber.
          const result = await run({
            backend,
            program: "bash", // dash takes fd numbers up to 9 only
            args: ["-c", `echo to-a >&${a[1]}; echo to-b >&${b[1]}; echo seven >&7`],
            extraFds: { [a[1]]: b[1], [b[1]]: a[1], 7: a[1] },
            fdPolicy: "closeFrom3",
          });
          assert.equal(result.success, true, text(result.stderr));
          assert.equal(drain(b[0]), "to-a\n");
          assert.equal(drain(a[0]), "to-b\nseven\n");
        } finally {
          [...a, ...b].forEach(closeFd);
        }
      },
    );
  }
}

Deno.test("extraFds are validated before anything starts", () => {
  assertCoreError(() => runSync({ program: "true", extraFds: { 2: 0 } }), "InvalidArgument");
  assertCoreError(() => runSync({ program: "true", extraFds: { 5: 99_999 } }), "EBADF");
  const [r, w] = cloexecPipe("test pipe");
  try {
    const clash = assertCoreError(
      () => runSync({ program: "true", extraFds: { [w]: r }, fdPolicy: { allow: [w] } }),
      "InvalidArgument",
    );
    assert.match(clash.message, /both allowlisted and an extraFds target/);
  } finally {
    closeFd(r);
    closeFd(w);
  }
  assertCoreError(
    () => runSync({ program: "true", extraFds: [] as unknown as Record<number, number> }),
    "InvalidArgument",
  );
});
