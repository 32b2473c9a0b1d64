/**
 * Seccomp-safe syscall gating. Android's app seccomp filter kills with SIGSYS (no ENOSYS) on a
 * syscall the device's API level does not allow, so every optional syscall goes through
 * {@linkcode syscallAllowed} first. Table from Android's app seccomp policy per release (docs/android.md) and the kernel versions that introduced each call.
 * @module
 */
import type { Platform } from "./platform.ts";

/** A syscall that not every platform may make. */
export type GatedSyscall =
  | "pidfd_open"
  | "pidfd_send_signal"
  | "pidfd_getfd"
  | "close_range"
  | "clone3"
  | "epoll_pwait2"
  | "landlock_create_ruleset"
  | "landlock_add_rule"
  | "landlock_restrict_self"
  | "setresgid"
  | "setgroups";

/**
 * First Android API level whose app seccomp filter allows it (null: no release does), the last
 * one where a later release took it away (`lastAndroidApi`), and first Linux version with it.
 */
export const SYSCALL_GATES: Readonly<
  Record<
    GatedSyscall,
    {
      readonly androidApi: number | null;
      readonly lastAndroidApi?: number;
      readonly linux: readonly [number, number];
    }
  >
> = {
  pidfd_open: { androidApi: 30, linux: [5, 3] },
  pidfd_send_signal: { androidApi: 31, linux: [5, 1] },
  pidfd_getfd: { androidApi: 31, linux: [5, 6] },
  close_range: { androidApi: 33, linux: [5, 9] },
  clone3: { androidApi: 35, linux: [5, 3] },
  epoll_pwait2: { androidApi: 35, linux: [5, 11] },
  landlock_create_ruleset: { androidApi: null, linux: [5, 13] },
  landlock_add_rule: { androidApi: null, linux: [5, 13] },
  landlock_restrict_self: { androidApi: null, linux: [5, 13] },
  // Refused to apps from API 28 (setresuid stays: zygote needs it after the filter is on).
  setresgid: { androidApi: 26, lastAndroidApi: 27, linux: [2, 2] },
  setgroups: { androidApi: 26, lastAndroidApi: 27, linux: [2, 2] },
};

/**
 * Whether `name` may be called on `platform` without ENOSYS or a SIGSYS kill. On Android the
 * API level is authoritative; an unknown API level counts as too old.
 *
 * @example
 * ```ts
 * import { syscallAllowed } from "@coreshift/core/android";
 * const pretend = {
 *   os: "android", libc: "bionic", libcVersion: "api29", arch: "aarch64",
 *   androidApi: 29, kernel: [4, 14],
 * } as const;
 * console.log(syscallAllowed("pidfd_open", pretend)); // false: seccomp would kill us
 * ```
 */
export function syscallAllowed(name: GatedSyscall, platform: Platform): boolean {
  const gate = SYSCALL_GATES[name];
  const major = platform.kernel[0], minor = platform.kernel[1];
  const kernelOk = major > gate.linux[0] || (major === gate.linux[0] && minor >= gate.linux[1]);
  if (!kernelOk) return false;
  if (platform.os === "android" || platform.androidApi !== null) {
    const api = platform.androidApi ?? 0;
    return gate.androidApi !== null && api >= gate.androidApi &&
      (gate.lastAndroidApi === undefined || api <= gate.lastAndroidApi);
  }
  return true;
}
