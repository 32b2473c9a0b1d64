/**
 * The `coreshift` CLI, run as a subprocess the way a user runs it: every command, exit codes,
 * JSON output, bad flags. Under qemu the emulated Deno is given by CORESHIFT_TEST_DENO.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { paint } from "../cli/style.ts";
import { parseDuration, parseSize } from "../cli/units.ts";
import { CoreError, spawn } from "../mod.ts";
import { alive, eventually, spawnTest } from "./_harness.ts";

const cli = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
const deno = Deno.env.get("CORESHIFT_TEST_DENO") ?? Deno.execPath();

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The narrowest permission line the README documents for the CLI. */
const NARROW = ["--allow-ffi", "--allow-read", "--allow-env", "--allow-sys=osRelease"];

async function coreshift(
  args: string[],
  env: Record<string, string> = {},
  permissions: readonly string[] = ["-A"],
): Promise<Ran> {
  const out = await new Deno.Command(deno, {
    args: ["run", ...permissions, "--no-config", cli, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test("cli: --help on every command, exit 0", async () => {
  for (const args of [["--help"], ["run", "--help"], ["doctor", "--help"], ["fds", "--help"]]) {
    const r = await coreshift(args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stdout, /usage: coreshift/);
  }
});

Deno.test("cli: an unknown command exits 2 and names the fix", async () => {
  const r = await coreshift(["frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"; try: coreshift --help/);
});

Deno.test("cli run: exit codes as timeout(1) and env(1) give them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const notExec = `${dir}/script`;
    await Deno.writeTextFile(notExec, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    const cases: [string[], number][] = [
      [["--", "sh", "-c", "exit 3"], 3],
      [["--timeout", "200ms", "--pgroup", "--", "sleep", "5"], 124],
      [["--", "no-such-program-coreshift"], 127],
      [["--", notExec], 126],
      [["--cwd", "/no/such/dir", "--", "true"], 125],
      [["--", "sh", "-c", "kill -9 $$"], 137],
      [["--bogus-flag", "--", "true"], 125],
      [["--timeout", "soon", "--", "true"], 125],
      // timeout(1)'s durations, its 0, a tiny and a huge one, its signal and kill codes.
      [["--timeout", "0.0001", "--", "sleep", "5"], 124],
      [["--timeout", "0", "--", "sh", "-c", "sleep 0.1; exit 3"], 3],
      [["--timeout", "1d", "--", "true"], 0],
      [["--timeout", "2.34e+5d", "--", "true"], 0],
      [["--timeout", "9223372036854775808", "--", "true"], 0],
      [["--timeout", ".1", "-s", "KILL", "--", "sleep", "5"], 137],
      [["--timeout", "1e-1", "-k", "0.1", "--", "sh", "-c", 'trap "" TERM; sleep 5'], 137],
      [["--timeout", "0.1", "--kill-after=0.1", "--", "sh", "-c", 'trap "" TERM; sleep 5'], 137],
      [["--timeout", "1", "-k", "1", "--kill-after", "1", "--", "true"], 125],
      [["--timeout", "0.1", "--preserve-status", "--", "sleep", "5"], 143],
      [["--timeout", "0.1", "--signal", "INT", "--preserve-status", "--", "sleep", "5"], 130],
      [["--timeout", "-5", "--", "true"], 125],
    ];
    for (const [args, code] of cases) {
      const r = await coreshift(["run", ...args]);
      assert.equal(r.code, code, `run ${args.join(" ")} → ${r.code}: ${r.stderr}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli run: errors go to stderr with the fix", async () => {
  const r = await coreshift(["run", "--fds", "some", "--", "true"]);
  assert.equal(r.code, 125);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /use cloexec, closefrom3 or allow=3,4/);
});

Deno.test("cli run --json: one result object with status, output and usage", async () => {
  const r = await coreshift([
    "run",
    "--json",
    "--env",
    "GREETING=hi",
    "--",
    "sh",
    "-c",
    'echo "$GREETING"; echo e >&2; exit 4',
  ]);
  assert.equal(r.code, 4);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.argv, ["sh", "-c", 'echo "$GREETING"; echo e >&2; exit 4']);
  assert.equal(result.exitCode, 4);
  assert.deepEqual(result.status, { kind: "exited", code: 4 });
  assert.equal(result.stdout, "hi\n");
  assert.equal(result.stderr, "e\n");
  assert.equal(result.timedOut, false);
  assert.equal(typeof result.durationMs, "number");
  assert.equal(typeof result.rusage.maxRssKiB, "number");
  assert.equal(result.error, null);
});

Deno.test("cli run: --clear-env, --fds closefrom3 and a spawn error in JSON", async () => {
  const env = JSON.parse(
    (await coreshift(["run", "--json", "--clear-env", "--env", "ONLY=1", "--", "/usr/bin/env"]))
      .stdout,
  );
  assert.equal(env.stdout, "ONLY=1\n");
  const fds = JSON.parse(
    (await coreshift(["run", "--json", "--fds", "closefrom3", "--", "sh", "-c", "ls /proc/$$/fd"]))
      .stdout,
  );
  assert.deepEqual(fds.stdout.trim().split("\n").map(Number).sort(), [0, 1, 2]);
  const missing = await coreshift(["run", "--json", "--", "no-such-program-coreshift"]);
  assert.equal(missing.code, 127);
  assert.equal(JSON.parse(missing.stdout).error.code, "ENOENT");
});

Deno.test("cli run --until: stops the child once its output matched, exit 0", async () => {
  const started = performance.now();
  const r = await coreshift([
    "run",
    "--pgroup",
    "--until",
    "ready",
    "--",
    "sh",
    "-c",
    "echo ready; sleep 30",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "ready\n");
  assert.ok(performance.now() - started < 25_000, "the child was not waited for");
});

Deno.test("cli doctor --json: the report's shape, and the exit code follows the warnings", async () => {
  const r = await coreshift(["doctor", "--json"]);
  const report = JSON.parse(r.stdout);
  for (
    const key of [
      "platform",
      "helper",
      "backends",
      "syscalls",
      "exitSource",
      "confinement",
      "termux",
      "su",
      "warnings",
    ]
  ) {
    assert.ok(key in report, `doctor --json lacks ${key}`);
  }
  assert.equal(typeof report.backends.posixSpawn, "boolean");
  assert.equal(typeof report.syscalls.pidfd_open, "boolean");
  assert.equal(r.code, report.warnings.length === 0 ? 0 : 1);
});

Deno.test("cli doctor --abi-check: every probed value matches, exit 0", async () => {
  const r = await coreshift(["doctor", "--abi-check", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const { table, checks } = JSON.parse(r.stdout);
  assert.match(table, /^(glibc|bionic)-(x86_64|aarch64)$/);
  assert.ok(checks.length >= 9 && checks.every((c: { ok: boolean }) => c.ok));
});

spawnTest("cli fds: this process's fds, and another process's by --pid", async () => {
  const self = JSON.parse((await coreshift(["fds", "--json"])).stdout);
  assert.ok(self.some((e: { fd: number }) => e.fd === 0));
  for (const e of self) assert.deepEqual(Object.keys(e).sort(), ["cloexec", "fd", "target"]);
  // Our own spawn with closeFrom3: Deno.Command would pass this process's stray fds along.
  await using child = spawn({ program: "sleep", args: ["30"], fdPolicy: "closeFrom3" });
  const other = JSON.parse((await coreshift(["fds", "--pid", String(child.pid), "--json"])).stdout);
  assert.deepEqual(other.map((e: { fd: number }) => e.fd), [0, 1, 2]);
  assert.equal(other[0].target, "/dev/null");
  const bad = await coreshift(["fds", "--pid", "abc"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not a process id/);
});

Deno.test("cli units: durations and sizes, and their errors", () => {
  assert.equal(parseDuration("5s", "--timeout"), 5000);
  assert.equal(parseDuration("200ms", "--timeout"), 200);
  assert.equal(parseDuration("1.5m", "--timeout"), 90_000);
  assert.equal(parseDuration("2", "--timeout"), 2000);
  assert.equal(parseDuration("0s", "--timeout"), 0, "0 is returned for the caller to read as none");
  assert.equal(parseDuration("1d", "--timeout"), 86_400_000);
  assert.equal(parseDuration(".1", "--timeout"), 100);
  assert.equal(parseDuration("1e-3", "--timeout"), 1);
  assert.equal(parseDuration("0.0001", "--timeout"), 0.1, "never rounded down to none");
  assert.equal(parseDuration("2.34e+5d", "--timeout"), 2.34e5 * 86_400_000);
  assert.equal(parseDuration("inf", "--timeout"), Infinity);
  assert.throws(() => parseDuration("-5", "--timeout"), /"-5" is negative/);
  assert.throws(() => parseDuration("1x", "--timeout"), /"1x" is not a duration/);
  assert.equal(parseSize("1MiB", "--max-output"), 1 << 20);
  assert.equal(parseSize("64k", "--max-output"), 65536);
  assert.equal(parseSize("4096", "--max-output"), 4096);
  assert.throws(() => parseSize("lots", "--max-output"), CoreError);
});

Deno.test("cli style: NO_COLOR leaves text plain", () => {
  const before = Deno.env.get("NO_COLOR");
  Deno.env.set("NO_COLOR", "1");
  try {
    assert.equal(paint("red", "x", "stderr"), "x");
  } finally {
    if (before === undefined) Deno.env.delete("NO_COLOR");
    else Deno.env.set("NO_COLOR", before);
  }
});

spawnTest(
  "cli run --as-root: through a Magisk-like su on PATH; exit codes and refusals",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "coreshift-su-" });
    try {
      const fake = fileURLToPath(new URL("./fixtures/fake_su/magisk", import.meta.url));
      await Deno.symlink(fake, `${dir}/su`);
      const env = { PATH: `${dir}:${Deno.env.get("PATH")}`, TMPDIR: dir };
      const ran = await coreshift(
        ["run", "--as-root", "--json", "--env", "X=it's", "--", "sh", "-c", 'echo "$X"; exit 4'],
        env,
      );
      assert.equal(ran.code, 4, ran.stderr);
      const result = JSON.parse(ran.stdout);
      assert.equal(result.stdout, "it's\n");
      assert.deepEqual(result.status, { kind: "exited", code: 4 });
      const killed = await coreshift(["run", "--as-root", "--", "sh", "-c", "kill -9 $$"], env);
      assert.equal(killed.code, 137, "Magisk's 0 for a signal death is not believed");
      const late = await coreshift(
        ["run", "--as-root", "--timeout", "300ms", "--kill-grace", "200ms", "--", "sleep", "30"],
        env,
      );
      assert.equal(late.code, 124);
      const bad = await coreshift(["run", "--as-root", "--backend", "fork", "--", "true"], env);
      assert.equal(bad.code, 125);
      assert.match(bad.stderr, /--backend cannot apply to a command su runs/);
      const stray = await coreshift(["run", "--mount-master", "--", "true"], env);
      assert.equal(stray.code, 125);
      assert.match(stray.stderr, /add --as-root/);
      const left = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.deepEqual(left, ["su"], "status files are removed");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("cli: run, fds and doctor work with the README's narrow permission line", async () => {
  // Deno's fs ops refuse /proc/self without --allow-all; coreshift reads it through libc.
  const run = await coreshift(["run", "--fds", "allow=5", "--json", "--", "true"], {}, NARROW);
  assert.equal(run.code, 0, run.stderr);
  const fds = await coreshift(["fds", "--json"], {}, NARROW);
  assert.equal(fds.code, 0, fds.stderr);
  assert.ok(JSON.parse(fds.stdout).some((e: { fd: number }) => e.fd === 0));
  const doctor = await coreshift(["doctor", "--json"], {}, NARROW);
  assert.notEqual(JSON.parse(doctor.stdout).confinement.seccomp, "unknown", doctor.stderr);
});

Deno.test("cli run: --stdin, --stdout, --stderr, --append and --stderr-to-stdout", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/in`, "input line\n");
    const sh = ["--", "sh", "-c", "cat; echo err >&2"];
    let r = await coreshift(["run", "--stdin", `${dir}/in`, "--stdout", `${dir}/out`, ...sh]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/out`), "input line\n");
    assert.equal(r.stderr, "err\n");
    r = await coreshift([
      "run",
      "--stdin",
      `${dir}/in`,
      "--stdout",
      `${dir}/out`,
      "--append",
      "--stderr-to-stdout",
      ...sh,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/out`), "input line\ninput line\nerr\n");
    r = await coreshift(["run", "--stdin", `${dir}/missing`, "--", "cat"]);
    assert.equal(r.code, 125, "a bad path is a failed spawn");
    assert.match(r.stderr, /missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A `coreshift run` started in the background, its output piped, for signals sent to it. */
function background(args: string[]) {
  return new Deno.Command(deno, {
    args: ["run", "-A", "--no-config", cli, "run", ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads `child`'s stdout until `pattern` matches; returns the text so far. */
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<string> {
  const reader = stream.getReader();
  let seen = "";
  try {
    while (!pattern.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
  } finally {
    reader.releaseLock();
  }
  return seen;
}

spawnTest(
  "cli run: signals sent to coreshift reach the program; it exits with its status",
  async () => {
    const script = 'echo pid=$$; trap "echo got-usr1; exit 9" USR1; while :; do sleep 0.05; done';
    const cases: [string[], Deno.Signal, number][] = [
      [["--pgroup", "--", "sh", "-c", "echo pid=$$; sleep 30"], "SIGTERM", 143],
      [["--", "sh", "-c", "echo pid=$$; exec sleep 30"], "SIGINT", 130],
      [["--", "sh", "-c", "echo pid=$$; exec sleep 30"], "SIGHUP", 129],
      [["--", "sh", "-c", script], "SIGUSR1", 9],
      // An outside SIGALRM is the timeout: the program gets TERM, coreshift exits 124.
      [["--", "sh", "-c", "echo pid=$$; exec sleep 30"], "SIGALRM", 124],
    ];
    for (const [args, signal, code] of cases) {
      const run = background(args);
      const seen = await readUntil(run.stdout, /pid=(\d+)/);
      const programPid = Number(seen.match(/pid=(\d+)/)![1]);
      run.kill(signal);
      const status = await run.status;
      await run.stdout.cancel();
      const stderr = new TextDecoder().decode(await new Response(run.stderr).arrayBuffer());
      assert.equal(status.code, code, `${signal} → ${status.code}: ${stderr}`);
      assert.equal(stderr, "", "no stack trace, no message");
      assert.ok(
        await eventually(() => !alive(programPid)),
        `${signal}: the program outlived coreshift`,
      );
    }
  },
);

spawnTest("cli run: a closed stdout ends run as it ends a shell tool: 141, quietly", async () => {
  const run = background(["--until", "zzz", "--", "sh", "-c", "while :; do echo aaaaaaaa; done"]);
  await readUntil(run.stdout, /a{100}|(a+\n){12}/);
  await run.stdout.cancel(); // the reader is gone, as with `| head -c 100`
  const status = await run.status;
  const stderr = new TextDecoder().decode(await new Response(run.stderr).arrayBuffer());
  assert.equal(status.code, 141, stderr);
  assert.equal(stderr, "", "no BrokenPipe stack trace");
});

Deno.test("cli run: -u/--unset removes a variable; --env sets one", async () => {
  const r = await coreshift(
    ["run", "-u", "HOME", "--env", "X=1", "--", "sh", "-c", 'echo "${HOME-unset} $X"'],
    { HOME: "/somewhere" },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "unset 1\n");
  const bad = await coreshift(["run", "--unset", "A=B", "--", "true"]);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /"A=B" is not a variable name/);
});
