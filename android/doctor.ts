/**
 * `doctor()`: one report of what works on this machine and what to do about what does not:
 * backends, the native helper and its hash, gated syscalls, seccomp, Termux and `su`.
 * `buildDoctorReport` takes every fact as input, so tests can pretend to be any device.
 * @module
 */
import { type Confinement, confinement } from "../ffi/platform/confinement.ts";
import type { CoreError } from "../ffi/os/errors.ts";
import { nativeHelperStatus } from "../ffi/native/loader.ts";
import type { NativeHelper } from "../ffi/native/loader.ts";
import { hostPlatform, type Platform } from "../ffi/platform/platform.ts";
import { hostPosixSpawnCaps, type PosixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { DEFAULT_MAX_PHANTOM_PROCESSES, type PhantomKiller, phantomKiller } from "./phantom.ts";
import { platform } from "./platform.ts";
import type { SuInfo } from "./su.ts";
import { type GatedSyscall, SYSCALL_GATES, syscallAllowed } from "../ffi/platform/syscall_gate.ts";
import { type TermuxDirs, termuxDirs } from "../ffi/platform/termux.ts";
import { hostSystemLinker } from "../ffi/plan/plan.ts";
import { landlockAbi } from "../ffi/confine/landlock.ts";

/** Everything the report is built from. */
export interface DoctorInputs {
  /** The platform (pretend Android in tests). */
  readonly platform: Platform;
  /** The loaded helper, or the error that says why it is missing. */
  readonly helper: NativeHelper | CoreError;
  /** What this libc's posix_spawn can do. */
  readonly posixSpawn: PosixSpawnCaps;
  /** Seccomp state of this process. */
  readonly confinement: Confinement;
  /** The environment (for Termux's PREFIX, HOME, TMPDIR). */
  readonly env: Readonly<Record<string, string>>;
  /** The `su` found and its flavour, or null. */
  readonly su: SuInfo | null;
  /** Android 12+'s phantom process killer settings, or null where there is none. */
  readonly phantomKiller: PhantomKiller | null;
  /** The linker app-data programs run through (termux-exec's system linker exec), or null. */
  readonly systemLinker: string | null;
  /** This kernel's Landlock ABI version, or null without Landlock. */
  readonly landlockAbi: number | null;
}

/** A problem and how to fix it. */
export type DoctorWarning = DoctorReport["warnings"][number];

/** What `doctor()` found. */
export interface DoctorReport {
  /** The platform it looked at. */
  readonly platform: Platform;
  /** The helper's file, hash and origin, or why it is missing. */
  readonly helper:
    | {
      readonly loaded: true;
      readonly path: string;
      readonly sha256: string;
      readonly origin: string;
    }
    | { readonly loaded: false; readonly reason: string };
  /** Which spawn backends work here. */
  readonly backends: {
    readonly vfork: boolean;
    readonly fork: boolean;
    readonly posixSpawn: boolean;
  };
  /** Each gated syscall: whether coreshift will make it here. */
  readonly syscalls: Readonly<Record<GatedSyscall, boolean>>;
  /** How async exits are noticed here. */
  readonly exitSource: "pidfd" | "sigchld";
  /**
   * How this process is confined: its seccomp mode, the stacked filters (`Seccomp_filters:`,
   * Linux 5.9+, else null) and `NoNewPrivs:` (set-uid programs such as `su` cannot gain
   * privileges).
   */
  readonly confinement: {
    readonly seccomp: "disabled" | "strict" | "filter" | "unknown";
    readonly filters: number | null;
    readonly noNewPrivs: boolean;
  };
  /** Termux's directories when running inside Termux, else null. */
  readonly termux: TermuxDirs | null;
  /**
   * Inside Termux, the linker that programs under the app data directory run through, because
   * this app may not exec its own files (Android 10+, targetSdk ≥ 29); null when they are exec'd
   * directly. `/bin/X` and `/usr/bin/X` run `$PREFIX/bin/X` either way.
   */
  readonly systemLinker: string | null;
  /** The `su` found (PATH, then the usual places) and its flavour, or null. */
  readonly su: SuInfo | null;
  /** Android 12+'s phantom process killer, or null where there is none. */
  readonly phantomKiller: PhantomKiller | null;
  /**
   * What `confine` can do here: no_new_privs (Linux 3.5+, every supported kernel), a seccomp
   * filter (the kernel reports a seccomp mode), and Landlock's ABI version or null.
   */
  readonly confine: {
    readonly noNewPrivs: boolean;
    readonly seccompFilter: boolean;
    readonly landlockAbi: number | null;
  };
  /** Problems found, each with its fix; empty when all is well. */
  readonly warnings: readonly { readonly problem: string; readonly fix: string }[];
}

/** Builds the report from `inputs` (pure: no I/O of its own). */
export function buildDoctorReport(inputs: DoctorInputs): DoctorReport {
  const { platform, helper, env } = inputs;
  const warnings: DoctorWarning[] = [];
  const helperLoaded = !("code" in helper);
  if (!helperLoaded) {
    warnings.push({
      problem: `the native helper is not loaded (${helper.message}); only posixSpawn can spawn`,
      fix:
        "install a C compiler (cc) so it is built from source, or set CORESHIFT_NATIVE to a built libcoreshift_helper.so",
    });
  }
  if (!inputs.posixSpawn.available) {
    warnings.push({
      problem: platform.libc === "bionic"
        ? `posix_spawn needs Android API 28; this device is API ${platform.androidApi}`
        : "this libc has no posix_spawn",
      fix: "use the fork or vfork backend (needs the native helper)",
    });
  }
  const syscalls = Object.fromEntries(
    (Object.keys(SYSCALL_GATES) as GatedSyscall[]).map((
      name,
    ) => [name, syscallAllowed(name, platform)]),
  ) as Record<GatedSyscall, boolean>;
  const termux = termuxDirs(env);
  if (platform.os === "android" && !termux) {
    warnings.push({
      problem: "Android without Termux's PREFIX: program lookup and shebangs use system paths only",
      fix: "run inside Termux, or pass absolute program paths",
    });
  }
  const killer = inputs.phantomKiller;
  if (killer && killer.active !== false) {
    const limit = killer.maxPhantomProcesses ?? DEFAULT_MAX_PHANTOM_PROCESSES;
    warnings.push({
      problem: killer.active === null
        ? `Android 12+ may kill child processes beyond ${limit} across apps (its settings were unreadable here)`
        : `Android 12+ kills child processes beyond ${limit} across apps (phantom process killer)`,
      fix: "Developer options → Disable child process restrictions (Android 14+), or " +
        "adb shell device_config put activity_manager max_phantom_processes 2147483647",
    });
  }
  return {
    platform,
    helper: helperLoaded
      ? { loaded: true, path: helper.path, sha256: helper.sha256, origin: helper.origin }
      : { loaded: false, reason: helper.message },
    backends: { vfork: helperLoaded, fork: helperLoaded, posixSpawn: inputs.posixSpawn.available },
    syscalls,
    exitSource: syscalls.pidfd_open ? "pidfd" : "sigchld",
    confinement: inputs.confinement,
    termux,
    systemLinker: termux ? inputs.systemLinker : null,
    confine: {
      noNewPrivs: true,
      seccompFilter: inputs.confinement.seccomp !== "unknown",
      landlockAbi: inputs.landlockAbi,
    },
    su: inputs.su,
    phantomKiller: killer,
    warnings,
  };
}

/**
 * What works on this machine, with a fix for each problem found.
 *
 * @example
 * ```ts
 * import { doctor } from "@coreshift/core/android";
 * const report = doctor();
 * for (const w of report.warnings) console.log(`${w.problem}\n  fix: ${w.fix}`);
 * ```
 */
export function doctor(): DoctorReport {
  return buildDoctorReport({
    platform: hostPlatform(),
    helper: nativeHelperStatus(),
    posixSpawn: hostPosixSpawnCaps(),
    confinement: confinement(),
    env: Deno.env.toObject(),
    su: platform().su, // su -v runs once per process, shared with platform()
    phantomKiller: phantomKiller(hostPlatform().androidApi),
    systemLinker: hostSystemLinker(),
    landlockAbi: landlockAbi(hostPlatform()),
  });
}
