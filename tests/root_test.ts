/**
 * Root through `su`: quoting proven on an adversarial corpus through real shells, then every
 * flavour against a fake `su` on PATH that behaves like it (Magisk: the root command is not
 * su's to kill and signal deaths come back as 0; KernelSU: the caller itself runs the shell;
 * AOSP: `su WHO COMMAND…`).
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { detectSu, type RootOutput, runAsRoot, type SuInfo } from "../android/mod.ts";
import { classifySu, suArgv, type SuFlavour } from "../android/su.ts";
import { parseRootReport, rootCommand } from "../android/root_script.ts";
import { shellCommand, shellQuote } from "../android/shell_quote.ts";
import { AbortedError, runSync } from "../mod.ts";
import { alive, assertCoreError, eventually, spawnTest, text } from "./_harness.ts";

const FAKES = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "fake_su");

/** Arguments that break naive quoting. */
const CORPUS = [
  "",
  "'",
  "''",
  "it's",
  '"',
  "\\",
  "'\\''",
  "$(echo pwned)",
  "`echo pwned`",
  "$HOME",
  "${PATH}",
  "*",
  "?",
  "[a-z]*",
  "~",
  "~root",
  "a\nb",
  "\n",
  "\t",
  "a\rb",
  " leading",
  "trailing ",
  "two  spaces",
  "-n",
  "--",
  "-c",
  "!",
  "#not a comment",
  ";",
  "&&",
  "|",
  "<>",
  "a=b",
  "ü",
  "日本語",
  "😀",
  "%s",
];

/** A PATH directory holding `su` → the fake for `flavour`. */
function fakeSuDir(flavour: SuFlavour): string {
  const dir = Deno.makeTempDirSync({ prefix: "coreshift-su-" });
  Deno.symlinkSync(join(FAKES, flavour), join(dir, "su"));
  return dir;
}

async function withFakeSu(
  flavour: "magisk" | "kernelsu" | "aosp",
  fn: (su: SuInfo, dir: string, log: string) => Promise<void>,
): Promise<void> {
  const dir = fakeSuDir(flavour);
  const log = join(dir, "log");
  Deno.env.set("FAKE_SU_LOG", log);
  try {
    const su = detectSu({ path: dir });
    assert.ok(su, `fake ${flavour} su not found in ${dir}`);
    await fn(su, dir, log);
  } finally {
    Deno.env.delete("FAKE_SU_LOG");
    Deno.removeSync(dir, { recursive: true });
  }
}

/** NUL-separated printf of the corpus: what the program received, byte for byte. */
const PRINT_ARGS = ["printf", "%s\\0"];
const splitNul = (bytes: Uint8Array) => text(bytes).split("\0").slice(0, -1);

Deno.test("shellQuote: each word in single quotes, ' as '\\''", () => {
  assert.equal(shellQuote(""), "''");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellCommand(["a", ""]), "'a' ''");
  assertCoreError(() => shellQuote("a\0b"), "InvalidArgument", "quote");
});

for (const shell of ["/bin/sh", "/bin/bash", "/bin/dash"]) {
  const missing = (() => {
    try {
      Deno.statSync(shell);
      return false;
    } catch {
      return `${shell} is not installed here`;
    }
  })();
  spawnTest(`shellQuote: the whole corpus reaches printf unchanged through ${shell}`, () => {
    const out = runSync({ program: shell, args: ["-c", shellCommand([...PRINT_ARGS, ...CORPUS])] });
    assert.equal(out.status.kind, "exited");
    assert.deepEqual(splitNul(out.stdout), CORPUS);
  }, missing);
}

Deno.test("classifySu: Magisk, KernelSU and AOSP by what they print", () => {
  assert.deepEqual(classifySu("27.0:MAGISKSU\n", ""), {
    flavour: "magisk",
    version: "27.0:MAGISKSU",
  });
  assert.equal(classifySu("v1.0.5:KernelSU", "").flavour, "kernelsu");
  assert.equal(classifySu("su: unknown user -v", "usage: su [WHO [COMMAND...]]").flavour, "aosp");
  assert.deepEqual(classifySu("", "Usage: su [options] [-] [<user>]"), {
    flavour: "unknown",
    version: null,
  });
});

Deno.test("suArgv: flags per flavour; AOSP cannot mount-master", () => {
  const at = (flavour: SuFlavour): SuInfo => ({ path: "/x/su", flavour, version: null });
  const request = { command: "id", mountMaster: true, preserveEnvironment: true };
  assert.deepEqual(suArgv(at("magisk"), request), ["/x/su", "-M", "-p", "-c", "id"]);
  assert.deepEqual(suArgv(at("kernelsu"), { command: "id" }), ["/x/su", "-c", "id"]);
  assert.deepEqual(suArgv(at("aosp"), { command: "id" }), ["/x/su", "0", "sh", "-c", "id"]);
  assertCoreError(() => suArgv(at("aosp"), request), "UnsupportedOption", "root");
});

Deno.test("rootCommand: refuses an env name the shell would misread", () => {
  assertCoreError(() => rootCommand("/tmp/f", ["id"], { env: { "A-B": "1" } }), "InvalidArgument");
  assertCoreError(() => rootCommand("/tmp/f", ["id"], { env: { "1A": "1" } }), "InvalidArgument");
});

Deno.test("parseRootReport: pid line, exit line, either missing", () => {
  assert.deepEqual(parseRootReport("pid 10 10\nexit 3\n"), { pid: 10, pgid: 10, exitCode: 3 });
  assert.deepEqual(parseRootReport("pid 10 7\n"), { pid: 10, pgid: 7, exitCode: null });
  assert.deepEqual(parseRootReport(""), { pid: null, pgid: null, exitCode: null });
});

spawnTest("detectSu: each fake flavour is told apart; no su is null", async () => {
  for (const flavour of ["magisk", "kernelsu", "aosp"] as const) {
    await withFakeSu(flavour, (su, dir) => {
      assert.equal(su.flavour, flavour);
      assert.equal(su.path, join(dir, "su"));
      return Promise.resolve();
    });
  }
  assert.equal(detectSu({ path: "/nonexistent", executable: () => false }), null);
});

for (const flavour of ["magisk", "kernelsu", "aosp"] as const) {
  spawnTest(
    `runAsRoot via ${flavour}: the corpus arrives exactly; exit codes come back`,
    async () => {
      await withFakeSu(flavour, async (su, dir) => {
        const out = await runAsRoot([...PRINT_ARGS, ...CORPUS], { su, statusDir: dir });
        assert.deepEqual(out.status, { kind: "exited", code: 0 });
        assert.ok(out.success);
        assert.deepEqual(splitNul(out.stdout), CORPUS);
        assert.ok(out.root && out.root.pid > 0);
        const failed = await runAsRoot(["sh", "-c", "exit 3"], { su, statusDir: dir });
        assert.deepEqual(failed.status, { kind: "exited", code: 3 });
        assert.equal(failed.success, false);
        assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["log", "su"]);
      });
    },
  );

  spawnTest(`runAsRoot via ${flavour}: a death by signal is reported as one`, async () => {
    await withFakeSu(flavour, async (su, dir) => {
      const out = await runAsRoot(["sh", "-c", "kill -TERM $$"], { su, statusDir: dir });
      assert.equal(out.status.kind, "signaled");
      assert.equal(out.status.kind === "signaled" && out.status.signalName, "SIGTERM");
      if (flavour === "magisk") {
        // What the fake (like Magisk) says by itself: exit 0.
        assert.deepEqual(out.suStatus, { kind: "exited", code: 0 });
      }
    });
  });

  spawnTest(
    `runAsRoot via ${flavour}: a timeout kills the root command's whole group`,
    async () => {
      await withFakeSu(flavour, async (su, dir) => {
        const pidFile = join(dir, "grandchild");
        const script = `sleep 30 & echo $! > ${shellQuote(pidFile)}; wait`;
        const out = await runAsRoot(["sh", "-c", script], {
          su,
          statusDir: dir,
          timeoutMs: 300,
          killGraceMs: 500,
        });
        assert.ok(out.timedOut);
        assert.equal(out.status.kind, "signaled");
        const grandchild = Number(Deno.readTextFileSync(pidFile));
        assert.ok(grandchild > 0);
        assert.ok(await eventually(() => !alive(grandchild)), "the root group's sleep survived");
        assert.ok(out.root && !alive(out.root.pid), "the root shell survived");
      });
    },
  );
}

spawnTest(
  "runAsRoot: mount-master and preserved environment reach su; env and cwd apply",
  async () => {
    await withFakeSu("magisk", async (su, dir, log) => {
      Deno.env.set("CORESHIFT_ROOT_TEST", "kept");
      try {
        const show = ["sh", "-c", 'printf "%s|%s|%s" "$CORESHIFT_ROOT_TEST" "$EXTRA" "$PWD"'];
        const plain = await runAsRoot(show, { su, statusDir: dir, env: { EXTRA: "a'b $x" } });
        assert.equal(text(plain.stdout), "|a'b $x|" + Deno.cwd());
        const kept = await runAsRoot(show, {
          su,
          statusDir: dir,
          mountMaster: true,
          preserveEnvironment: true,
          cwd: "/",
        });
        assert.equal(text(kept.stdout), "kept||/");
        assert.match(Deno.readTextFileSync(log), /magisk mm=0 keep=0\n(.*\n)*magisk mm=1 keep=1/);
        const badCwd = await runAsRoot(["true"], { su, statusDir: dir, cwd: "/nonexistent" });
        assert.deepEqual(badCwd.status, { kind: "exited", code: 1 });
      } finally {
        Deno.env.delete("CORESHIFT_ROOT_TEST");
      }
    });
  },
);

spawnTest("runAsRoot: an AbortSignal cancels like a timeout", async () => {
  await withFakeSu("kernelsu", async (su, dir) => {
    const controller = new AbortController();
    const running = runAsRoot(["sleep", "30"], { su, statusDir: dir, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const error = await running.then(() => null, (e) => e);
    assert.ok(error instanceof AbortedError, `expected AbortedError, got ${error}`);
    assert.equal(error.code, "Aborted");
    const out = error.output as RootOutput;
    assert.equal(out.timedOut, false);
    assert.equal(out.status.kind, "signaled");
  });
});

Deno.test("runAsRoot: bad argv is refused before anything runs", async () => {
  const su: SuInfo = { path: "/nonexistent/su", flavour: "magisk", version: null };
  await assert.rejects(runAsRoot([], { su }), /non-empty array/);
  await assert.rejects(runAsRoot(["a\0b"], { su }), /NUL/);
});
