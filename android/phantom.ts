/**
 * Android 12+'s phantom process killer: ActivityManager kills app-spawned processes beyond a
 * device-wide count (32 by default), which cuts long-running children of Termux short. The two
 * settings that govern it are read with Android's own tools; an app uid may not be allowed to
 * read them, and then they stay unknown rather than guessed.
 * @module
 */
import { runSync } from "../ffi/run/run_sync.ts";

/** The killer's settings as far as they could be read. */
export interface PhantomKiller {
  /**
   * `settings_enable_monitor_phantom_procs` (Android 12L+): false when the developer option
   * "Disable child process restrictions" is on; null when unreadable or unset (then it is on).
   */
  readonly monitorEnabled: boolean | null;
  /** `activity_manager/max_phantom_processes`; null when unreadable or unset (then 32). */
  readonly maxPhantomProcesses: number | null;
  /** Whether the killer can still stop our children: true, false, or null when unknown. */
  readonly active: boolean | null;
}

/** The default limit when `max_phantom_processes` is unset. */
export const DEFAULT_MAX_PHANTOM_PROCESSES = 32;

/** Runs a tool and returns its trimmed stdout, or null when it failed. */
export type ToolRunner = (program: string, args: readonly string[]) => string | null;

/** Decides from the two tools' outputs (`"null"` is what both print for an unset value). */
export function phantomKillerFrom(
  settingsOut: string | null,
  deviceConfigOut: string | null,
): PhantomKiller {
  const monitor = settingsOut === "true" ? true : settingsOut === "false" ? false : null;
  const max = deviceConfigOut !== null && /^\d+$/.test(deviceConfigOut)
    ? Number(deviceConfigOut)
    : null;
  const unlimited = max !== null && max >= 2 ** 31 - 1;
  const active = monitor === false || unlimited
    ? false
    : settingsOut === null && deviceConfigOut === null
    ? null
    : true;
  return { monitorEnabled: monitor, maxPhantomProcesses: max, active };
}

/**
 * Reads the settings on Android 12+ (API 31+); null below, where there is no such killer.
 *
 * @example
 * ```ts
 * import { phantomKiller, platform } from "@coreshift/core/android";
 * const killer = phantomKiller(platform().androidApi);
 * if (killer?.active) console.log("Android may kill children beyond", killer.maxPhantomProcesses ?? 32);
 * ```
 */
export function phantomKiller(
  androidApi: number | null,
  run: (program: string, args: readonly string[]) => string | null = runTool,
): PhantomKiller | null {
  if (androidApi === null || androidApi < 31) return null;
  return phantomKillerFrom(
    run("/system/bin/settings", ["get", "global", "settings_enable_monitor_phantom_procs"]),
    run("/system/bin/device_config", ["get", "activity_manager", "max_phantom_processes"]),
  );
}

function runTool(program: string, args: readonly string[]): string | null {
  try {
    const out = runSync({ program, args, timeoutMs: 10_000, maxOutput: 64 * 1024 });
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}
