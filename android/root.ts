/**
 * Running commands as root through `su`, with what a supervisor needs that `su` itself does not
 * give: exact quoting, the real exit status (Magisk says 0 for a death by signal), and timeouts
 * that kill the root command's whole process group rather than only the `su` client.
 * @module
 */
import { afterDelay, type CancelDeadline } from "../ffi/async/deadline.ts";
import { spawn } from "../ffi/run/spawn.ts";
import { AbortedError } from "../ffi/supervise/output.ts";
import { Supervision } from "../ffi/supervise/supervision.ts";
import { CoreError, invalidArgument } from "../ffi/os/errors.ts";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { type ExitStatus, signaledBy } from "../ffi/os/exit_status.ts";
import { runSync } from "../ffi/run/run_sync.ts";
import { parseRootReport, rootCommand, type RootReport } from "./root_script.ts";
import { classifySu, findSu, suArgv, type SuInfo } from "./su.ts";
import { tempDir } from "../ffi/platform/termux.ts";

/**
 * Finds `su` and tells its flavour by asking it (`su -v`, then `su --help`): Magisk and
 * KernelSU answer `-v` in the client, with no root prompt. Null when there is no `su`.
 *
 * @example
 * ```ts
 * import { detectSu } from "@coreshift/core/android";
 * const su = detectSu();
 * console.log(su ? `${su.flavour} su at ${su.path}` : "no root");
 * ```
 */
export function detectSu(
  options: {
    readonly path?: string;
    readonly executable?: (path: string) => boolean;
  } = {},
): SuInfo | null {
  const path = findSu(options.path ?? Deno.env.get("PATH"), options.executable ?? isExecutable);
  if (!path) return null;
  const ask = (flag: string) => {
    try {
      const out = runSync({ program: path, args: [flag], timeoutMs: 5000, maxOutput: 64 * 1024 });
      const text = new TextDecoder();
      return text.decode(out.stdout) + text.decode(out.stderr);
    } catch {
      return "";
    }
  };
  const byVersion = classifySu(ask("-v"), "");
  if (byVersion.flavour !== "unknown") return { path, ...byVersion };
  return { path, ...classifySu("", ask("--help")) };
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Options for {@linkcode runAsRoot}. */
export interface RootRunOptions {
  /** The `su` to use (default: {@linkcode detectSu}). */
  readonly su?: SuInfo;
  /** Run in the global mount namespace (Magisk/KernelSU `-M`). */
  readonly mountMaster?: boolean;
  /** Keep this process's environment (`su -p`). */
  readonly preserveEnvironment?: boolean;
  /** Variables to export in the root shell, whatever the flavour does with the environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Directory the command runs in. */
  readonly cwd?: string;
  /** Bytes for the command's stdin (default: none, /dev/null). */
  readonly stdin?: Uint8Array;
  /** Kill the root command's process group after this many ms. */
  readonly timeoutMs?: number;
  /** ms between SIGTERM and SIGKILL on timeout or abort (default 2000). */
  readonly killGraceMs?: number;
  /** Cap on captured stdout + stderr (default 1 MiB). */
  readonly maxOutput?: number;
  /** Cancels like a timeout when aborted. */
  readonly signal?: AbortSignal;
  /** Where the status file goes (default: `$TMPDIR`, Termux's `$PREFIX/tmp`, or /tmp). */
  readonly statusDir?: string;
}

/** The result of {@linkcode runAsRoot}. */
export interface RootOutput {
  /**
   * How the root command ended. From the root shell's `$?`, so an explicit exit code above 128
   * reads as a death by signal (code − 128), exactly as a shell reports it.
   */
  readonly status: ExitStatus;
  /** True when the command exited 0. */
  readonly success: boolean;
  /** Captured stdout. */
  readonly stdout: Uint8Array;
  /** Captured stderr (the `su` client's own messages too). */
  readonly stderr: Uint8Array;
  /** The timeout fired and the root group was killed. */
  readonly timedOut: boolean;
  /** The root shell's pid and group, or null when `su` never started it (refused, prompt). */
  readonly root: { readonly pid: number; readonly pgid: number } | null;
  /** How the `su` client itself ended (Magisk: 0 even after a kill). */
  readonly suStatus: ExitStatus;
  /** Wall time in ms. */
  readonly durationMs: number;
}

/**
 * Runs `argv` as root through `su`.
 *
 * @throws {AbortedError} when `signal` fired: the root group was killed, and the error's
 *   `output` is the {@linkcode RootOutput}. *
 * @example
 * ```ts
 * import { runAsRoot } from "@coreshift/core/android";
 * const out = await runAsRoot(["id", "-u"], { timeoutMs: 10_000 });
 * console.log(new TextDecoder().decode(out.stdout).trim()); // "0"
 * ```
 */
export async function runAsRoot(
  argv: readonly string[],
  options: RootRunOptions = {},
): Promise<RootOutput> {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string")) {
    throw invalidArgument(
      "run as root",
      "argv must be a non-empty array of strings",
      "pass [program, ...args]",
    );
  }
  const su = options.su ?? detectSu() ?? noSu();
  const statusDir = options.statusDir ?? tempDir(Deno.env.toObject());
  const statusFile = await Deno.makeTempFile({ dir: statusDir, prefix: "coreshift-root-" });
  try {
    return await supervise(su, statusFile, argv, options);
  } finally {
    await Deno.remove(statusFile).catch(() => {});
  }
}

function noSu(): never {
  throw new CoreError(
    "RootUnavailable",
    "run as root",
    "no su found on PATH or in /system/bin, /system/xbin, /sbin, /debug_ramdisk; " +
      "root the device (Magisk, KernelSU) or put su on PATH",
  );
}

async function supervise(
  su: SuInfo,
  statusFile: string,
  argv: readonly string[],
  options: RootRunOptions,
): Promise<RootOutput> {
  const started = performance.now();
  const command = rootCommand(statusFile, argv, { env: options.env, cwd: options.cwd });
  const [program, ...args] = suArgv(su, {
    command,
    mountMaster: options.mountMaster,
    preserveEnvironment: options.preserveEnvironment,
  });
  const child = spawn({
    program,
    args,
    stdin: options.stdin ?? "null",
    pgroup: "leader",
    maxOutput: options.maxOutput,
  });
  const report = () => parseRootReport(readText(statusFile));
  // The root command is not our child: the same supervision rules, with signals sent through a
  // second su and the su client's exit as the reap.
  let lastSignal = null as "SIGTERM" | "SIGKILL" | null;
  const kills: Promise<void>[] = [];
  let cancelGrace: CancelDeadline | undefined;
  const sup: Supervision = new Supervision({
    group: true,
    escalation: { first: "SIGTERM", graceMs: options.killGraceMs ?? 2000 },
    afterEarlyExit: "wait",
    stopOnOverflow: false,
  }, {
    signal: (name) => {
      if (name === "SIGCONT") return;
      const kill = name === "SIGKILL" ? "SIGKILL" : "SIGTERM";
      if (kill === "SIGKILL" && lastSignal === "SIGKILL") return;
      // The group kill after the reap cleans up; it is not what ended the command.
      if (!sup.isReaped) lastSignal = kill;
      kills.push(
        killRoot(su, report(), kill === "SIGKILL" ? "KILL" : "TERM").then(() => {
          if (kill === "SIGKILL") child.killGroup("SIGKILL");
        }),
      );
    },
    armGrace: (ms) => cancelGrace = afterDelay(ms, () => sup.graceOver()),
    closeStdout: () => {},
    cutPipes: () => {},
    closeStdin: () => {},
  });
  const cancelTimeout = options.timeoutMs === undefined
    ? undefined
    : afterDelay(options.timeoutMs, () => sup.timeout());
  const onAbort = () => sup.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  child.status.then(() => {
    cancelGrace?.();
    sup.reaped();
  }, () => {});
  try {
    const out = await child.output();
    const seen = report();
    const result: RootOutput = {
      status: rootStatus(seen, out.status, lastSignal),
      success: seen.exitCode === 0 && !sup.timedOut,
      stdout: out.stdout,
      stderr: out.stderr,
      timedOut: sup.timedOut,
      root: seen.pid === null ? null : { pid: seen.pid, pgid: seen.pgid! },
      suStatus: out.status,
      durationMs: performance.now() - started,
    };
    if (sup.aborted) throw new AbortedError(result, options.signal?.reason);
    return result;
  } finally {
    cancelTimeout?.();
    cancelGrace?.();
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all(kills); // the kill children are reaped before we return
  }
}

/**
 * The root command's status: what its shell wrote; after a kill with nothing written, the
 * signal we sent; when the shell never started, the `su` client's own status.
 */
function rootStatus(
  seen: RootReport,
  suStatus: ExitStatus,
  lastSignal: "SIGTERM" | "SIGKILL" | null,
): ExitStatus {
  const code = seen.exitCode;
  if (code !== null) {
    if (code > 128 && code < 128 + 65) return signaledBy(code - 128);
    return { kind: "exited", code };
  }
  if (seen.pid !== null && lastSignal) return signaledBy(LINUX_COMMON.signals[lastSignal]);
  return suStatus;
}

/**
 * Signals the root command's group (or its shell alone when it leads no group) through a
 * second `su`: our uid may not signal root's processes.
 */
async function killRoot(su: SuInfo, seen: RootReport, signal: "TERM" | "KILL"): Promise<void> {
  if (seen.pid === null || seen.exitCode !== null) return;
  const target = seen.pgid === seen.pid ? `-${seen.pgid}` : `${seen.pid}`;
  const [program, ...args] = suArgv(su, { command: `kill -s ${signal} -- ${target}` });
  try {
    await spawn({ program, args, stdin: "null", timeoutMs: 10_000 }).output();
  } catch { /* the group may be gone already; the caller escalates */ }
}

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}
