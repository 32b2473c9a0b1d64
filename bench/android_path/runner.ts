/**
 * The baseline a Termux user lives with: `Deno.Command` as Deno runs it on Android, where Rust's
 * std has no posix_spawn path and forks the whole Deno for every command. On glibc that path is
 * taken on purpose: a Deno of its own runs worker.ts with fork_path.c preloaded (std reads
 * glibc "2.23" and falls back to fork + exec), and the library's fork count proves, once at set-up
 * and on every run, that the path was taken. On Android the worker runs as is. Where neither can
 * be arranged (qemu-user, another libc, no compiler, a Deno that ignores the preload) the cases
 * are skipped and {@linkcode AndroidPath.detail} says why.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildC, NoCompilerError } from "../c_build.ts";
import { type Device, hostDevice } from "../device.ts";
import type { WorkerJob, WorkerResult } from "./worker.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** How the Android-path cases were measured. */
export interface AndroidPath {
  /** `preload`: glibc made to take it; `android`: this is Android; `none`: skipped. */
  readonly how: "preload" | "android" | "none";
  /** In words, for the report: how it was arranged and checked, or why it was not. */
  readonly detail: string;
  /**
   * Times `n` `outputSync()`s of `argv` in a fresh Deno holding `heapMiB` MiB; null when
   * `how` is `none`.
   */
  readonly run:
    | ((argv: readonly string[], opts: { heapMiB: number; n: number; piped: boolean }) => Promise<
      number[]
    >)
    | null;
}

/** A job's result, checked: on glibc every timed spawn (and the warm-up) must have forked. */
async function runWorker(job: WorkerJob): Promise<number[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", join(here, "worker.ts"), JSON.stringify(job)],
    env: job.lib ? { LD_PRELOAD: job.lib } : {},
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`the Android-path worker failed: ${stderr}`);
  const result = JSON.parse(new TextDecoder().decode(out.stdout)) as WorkerResult;
  if (result.forks !== null && result.forks < job.n) {
    throw new Error(
      `Deno.Command forked ${result.forks} times for ${job.n} spawns: not the fork path`,
    );
  }
  return result.samples;
}

/** Arranges the Android path on this machine, or says why it cannot be. */
export async function prepareAndroidPath(
  noop: string,
  device: Pick<Device, "os" | "emulated"> = hostDevice(),
): Promise<AndroidPath> {
  const none = (why: string): AndroidPath => ({ how: "none", detail: why, run: null });
  let lib: string | null = null;
  if (device.os !== "android") {
    if (device.emulated) return none("under qemu-user a second Deno cannot be started here");
    try {
      lib = buildC(join(here, "fork_path.c"), join(here, "..", ".build"), ["-shared", "-fPIC"]);
    } catch (e) {
      if (!(e instanceof NoCompilerError)) throw e;
      return none(`${e.message}: the preload library cannot be built`);
    }
  }
  const run: AndroidPath["run"] = (argv, opts) =>
    runWorker({ program: argv[0], args: argv.slice(1), ...opts, lib });
  try {
    await run([noop], { heapMiB: 0, n: 3, piped: true });
  } catch (e) {
    return none((e as Error).message);
  }
  return lib
    ? {
      how: "preload",
      detail: "glibc made to take it: fork_path.c preloaded says glibc 2.23, so Rust's std " +
        "forks; the library counted a fork for every Deno.Command spawn",
      run,
    }
    : { how: "android", detail: "this is Android: Deno.Command as is", run };
}
