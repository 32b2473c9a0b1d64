/**
 * A Deno started with SIGCHLD ignored (as some supervisors and shells leave it; SIG_IGN survives
 * exec) has its children reaped by the kernel, so wait4 fails with ECHILD. coreshift puts the
 * default disposition back at its first start: every entry point and backend must then report
 * the real exit status, and Deno.Command in the same process must keep working.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSync } from "../mod.ts";
import { spawnTest, text } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

const deno = Deno.env.get("CORESHIFT_TEST_DENO") ?? Deno.execPath();
const here = dirname(fileURLToPath(import.meta.url));

/** `argv` exec'd by a probe that ignores SIGCHLD first (dash would not pass `trap ''` on). */
function withSigchldIgnored(argv: string[]) {
  return runSync({
    program: probePath(),
    args: ["nocldwait", ...argv],
    timeoutMs: 120_000,
    maxOutput: Infinity,
  });
}

spawnTest("SIGCHLD ignored at start: every entry point and backend still reaps its child", () => {
  const out = withSigchldIgnored([deno, "run", "-A", join(here, "fixtures", "sigchld_ignored.ts")]);
  assert.equal(out.status.kind, "exited", text(out.stderr));
  const report = JSON.parse(text(out.stdout));
  assert.equal(report.ignoredAtStart, true, "the fixture must really start with SIGCHLD ignored");
  assert.equal(report.ignoredAfter, false, "the default disposition is back");
  const entries = Object.entries(report.results as Record<string, string>);
  assert.ok(entries.length >= 14, `only ${entries.length} entry points ran`);
  for (const [name, result] of entries) assert.equal(result, "exited 0", name);
});

spawnTest("SIGCHLD ignored at start: `coreshift run` exits with the child's status", () => {
  const cli = join(here, "..", "cli", "main.ts");
  const out = withSigchldIgnored([deno, "run", "-A", cli, "run", "--", "sh", "-c", "exit 3"]);
  assert.equal(out.status.kind === "exited" && out.status.code, 3, text(out.stderr));
});
