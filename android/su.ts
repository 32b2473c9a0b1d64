/**
 * Which `su` this device has, and how each one is asked to run a command. The flavours differ
 * in what matters to a supervisor (docs/android.md):
 * - **Magisk**: `su` is a client of a root daemon. The root child is the daemon's, not ours;
 *   killing `su` does not kill it, and its signal deaths come back as exit 0. `-M` runs in the
 *   global mount namespace, `-p` keeps the environment. `-c` joins what follows with spaces.
 * - **KernelSU**: the kernel raises the calling task itself; same flags as Magisk.
 * - **AOSP/toybox** (userdebug builds): `su [WHO [COMMAND…]]`, no flags, environment kept.
 * An `su` that answers none of these is treated like Magisk (the `-c` convention of SuperSU).
 * @module
 */
import { CoreError } from "../ffi/os/errors.ts";

/** The kinds of `su` coreshift knows. */
export type SuFlavour = SuInfo["flavour"];

/** Where `su` is and what it is. */
export interface SuInfo {
  /** Absolute path of the `su` found. */
  readonly path: string;
  /** Its flavour. */
  readonly flavour: "magisk" | "kernelsu" | "aosp" | "unknown";
  /** What `su -v` printed (Magisk, KernelSU), else null. */
  readonly version: string | null;
}

/** Where `su` lives when it is not on PATH. */
export const SU_PLACES: readonly string[] = [
  "/system/bin/su",
  "/system/xbin/su",
  "/sbin/su",
  "/debug_ramdisk/su",
];

/** The first executable `su` on `pathVar`, then in {@linkcode SU_PLACES}, or null. */
export function findSu(
  pathVar: string | undefined,
  executable: (path: string) => boolean,
): string | null {
  const dirs = (pathVar ?? "").split(":").filter((d) => d.startsWith("/"));
  return [...dirs.map((d) => `${d.replace(/\/+$/, "")}/su`), ...SU_PLACES].find(executable) ?? null;
}

/**
 * The flavour from what `su -v` printed (and, when that said nothing known, `su --help`).
 * Magisk prints `27.0:MAGISKSU`, KernelSU `<version>:KernelSU`; AOSP's su refuses `-v` and its
 * usage reads `su [WHO [COMMAND...]]`.
 */
export function classifySu(
  versionOutput: string,
  helpOutput: string,
): { flavour: SuFlavour; version: string | null } {
  const version = versionOutput.trim().split("\n")[0] ?? "";
  if (/MAGISKSU/i.test(version)) return { flavour: "magisk", version };
  if (/KernelSU/i.test(version)) return { flavour: "kernelsu", version };
  if (/\bWHO\b/.test(helpOutput)) return { flavour: "aosp", version: null };
  return { flavour: "unknown", version: null }; // its -v output is an error message, not a version
}

/** How the root command is to run. */
export interface SuRequest {
  /** The whole command, as one POSIX shell command line. */
  readonly command: string;
  /** Run in the global mount namespace (Magisk and KernelSU `-M`). */
  readonly mountMaster?: boolean;
  /** Keep the caller's environment (`-p`; AOSP su always does). */
  readonly preserveEnvironment?: boolean;
}

/**
 * The argv that makes `su` run `request.command` through `sh -c` as root. Throws
 * `UnsupportedOption` for what the flavour cannot do (AOSP su has no mount-master).
 */
export function suArgv(su: SuInfo, request: SuRequest): string[] {
  if (su.flavour === "aosp") {
    if (request.mountMaster) {
      throw new CoreError(
        "UnsupportedOption",
        "run as root",
        `${su.path} is AOSP's su, which cannot switch to the global mount namespace; ` +
          "drop mountMaster, or use Magisk or KernelSU",
      );
    }
    return [su.path, "0", "sh", "-c", request.command];
  }
  return [
    su.path,
    ...(request.mountMaster ? ["-M"] : []),
    ...(request.preserveEnvironment ? ["-p"] : []),
    "-c",
    request.command,
  ];
}
