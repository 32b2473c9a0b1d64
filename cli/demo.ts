/**
 * `coreshift demo`: a short tour that spawns real children with each available backend and
 * prints what each one did, errors included.
 * @module
 */
import { CoreError, hostPlatform, runSync } from "../mod.ts";
import type { Backend } from "../ffi/options/options.ts";
import { shellExitCode } from "../ffi/os/exit_status.ts";
import type { Output, SpawnOptions } from "../mod.ts";
import { nativeHelperIfAvailable } from "../ffi/native/loader.ts";

const decoder = new TextDecoder();

interface DemoCase {
  readonly title: string;
  readonly options: SpawnOptions;
}

const CASES: readonly DemoCase[] = [
  { title: "capture stdout", options: { program: "echo", args: ["hello from a child"] } },
  {
    title: "stdin round trip",
    options: { program: "cat", stdin: new TextEncoder().encode("fed through stdin") },
  },
  { title: "exit code", options: { program: "sh", args: ["-c", "echo oops >&2; exit 3"] } },
  {
    title: "timeout kills the group",
    options: { program: "sh", args: ["-c", "sleep 5 & sleep 5"], timeoutMs: 150, pgroup: "leader" },
  },
  {
    title: "early exit on first line",
    options: { program: "yes", args: ["ready"], earlyExit: (c) => c.includes(0x0a) },
  },
  {
    title: "closeFrom3 fd policy",
    options: {
      program: "sh",
      args: ["-c", "ls /proc/$$/fd"], // no pipeline: the shell's own pipe fd would show
      fdPolicy: "closeFrom3",
    },
  },
  { title: "missing program", options: { program: "no-such-program-coreshift" } },
  { title: "missing cwd", options: { program: "true", cwd: "/no/such/dir" } },
];

/** Runs the demo: every case once with each backend this machine can use. */
export function runDemo(): number {
  const p = hostPlatform();
  console.log(
    `coreshift demo on ${p.os} ${p.arch}, ${p.libc} ${p.libcVersion}, kernel ${p.kernel.join(".")}`,
  );
  const helper = nativeHelperIfAvailable();
  const backends: Backend[] = helper ? ["vfork", "fork", "posixSpawn"] : ["posixSpawn"];
  console.log(
    helper
      ? `native helper: ${helper.path} (sha256 ${helper.sha256.slice(0, 16)}…, ${helper.origin})`
      : "native helper: not available here; only posixSpawn runs",
  );
  for (const backend of backends) {
    console.log(`\nbackend ${backend}`);
    for (const { title, options } of CASES) {
      try {
        console.log(`  ${title.padEnd(26)} ${describe(runSync({ ...options, backend }))}`);
      } catch (e) {
        if (!(e instanceof CoreError)) throw e;
        console.log(`  ${title.padEnd(26)} CoreError ${e.code} at "${e.op}": ${e.message}`);
      }
    }
  }
  return 0;
}

function describe(out: Output): string {
  const text = (b: Uint8Array) => JSON.stringify(decoder.decode(b.subarray(0, 40)));
  const flags = [out.timedOut && "timedOut", out.stdoutEarlyExited && "earlyExit"].filter(Boolean);
  return `exit ${shellExitCode(out.status)} in ${out.durationMs.toFixed(2)} ms ` +
    `stdout=${text(out.stdout)} stderr=${text(out.stderr)}${flags.length ? ` [${flags}]` : ""}`;
}
