/**
 * `platform()`: every fact about this device that coreshift's choices or a user's report need,
 * gathered once: OS, libc and version, arch, Android API level (bionic's property API, or
 * `/system/bin/getprop` under a glibc Deno), kernel, Termux's directories, seccomp mode, the
 * device model and SoC, and which `su` is here. {@linkcode platformFacts} builds the same from
 * injected inputs, so tests can be any device.
 * @module
 */
import { confinement, type SeccompMode } from "../ffi/platform/confinement.ts";
import { libc } from "../ffi/os/libc.ts";
import { hostPlatform, type Platform, SYSTEM_GETPROP } from "../ffi/platform/platform.ts";
import { type PropertyReader, propertyReader, sharedGetpropReader } from "../ffi/os/properties.ts";
import { detectSu } from "./root.ts";
import type { SuInfo } from "./su.ts";
import { type TermuxDirs, termuxDirs } from "../ffi/platform/termux.ts";

/** What an Android device says about itself through its properties. */
export type AndroidDevice = NonNullable<PlatformFacts["device"]>;

/** Everything {@linkcode platform} reports. */
export interface PlatformFacts extends Platform {
  /** `uname -r` in full. */
  readonly kernelRelease: string;
  /** Termux's directories when inside Termux, else null. */
  readonly termux: TermuxDirs | null;
  /** This process's seccomp mode (`"filter"` for every Android app from API 26). */
  readonly seccomp: "disabled" | "strict" | "filter" | "unknown";
  /**
   * What the device says through its properties on Android, else null: `ro.product.model`
   * (e.g. `"Pixel 7"`), `ro.soc.model` (API 31+, else `ro.board.platform`),
   * `ro.product.cpu.abi` (e.g. `"arm64-v8a"`), `ro.build.version.release` (e.g. `"14"`).
   */
  readonly device: {
    readonly model: string | null;
    readonly soc: string | null;
    readonly abi: string | null;
    readonly release: string | null;
  } | null;
  /** The `su` found and its flavour, or null: no root here. */
  readonly su: SuInfo | null;
}

/** The inputs {@linkcode platformFacts} needs. */
export interface PlatformInputs {
  /** The platform coreshift gates on. */
  readonly platform: Platform;
  /** `uname -r`. */
  readonly kernelRelease: string;
  /** The environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Seccomp mode of this process. */
  readonly seccomp: SeccompMode;
  /** Android's properties, or null off Android. */
  readonly properties: PropertyReader | null;
  /** Finds `su` and its flavour (runs `su -v` on the real host). */
  readonly su: () => SuInfo | null;
}

/** Builds the facts from `inputs` (no I/O beyond what the inputs do). */
export function platformFacts(inputs: PlatformInputs): PlatformFacts {
  const prop = inputs.properties;
  const device = inputs.platform.os === "android" && prop
    ? {
      model: prop("ro.product.model"),
      soc: prop("ro.soc.model") || prop("ro.board.platform"),
      abi: prop("ro.product.cpu.abi"),
      release: prop("ro.build.version.release"),
    }
    : null;
  return {
    ...inputs.platform,
    kernelRelease: inputs.kernelRelease,
    termux: termuxDirs(inputs.env),
    seccomp: inputs.seccomp,
    device,
    su: inputs.su(),
  };
}

let cached: PlatformFacts | undefined;

/**
 * This device's facts, gathered on first call (one `su -v` when an `su` exists) and cached.
 *
 * @example
 * ```ts
 * import { platform } from "@coreshift/core/android";
 * const p = platform();
 * console.log(p.os, p.androidApi, p.termux?.prefix, p.su?.flavour ?? "no root");
 * ```
 */
export function platform(): PlatformFacts {
  return cached ??= platformFacts({
    platform: hostPlatform(),
    kernelRelease: Deno.osRelease(),
    env: Deno.env.toObject(),
    seccomp: confinement().seccomp,
    properties: hostProperties(),
    su: () => detectSu(),
  });
}

/** bionic answers through its property API; a glibc Deno on Android asks `getprop`. */
function hostProperties(): PropertyReader | null {
  if (hostPlatform().os !== "android") return null;
  const viaLibc = propertyReader(libc().symbols);
  if (viaLibc) return viaLibc;
  const viaTool = sharedGetpropReader(SYSTEM_GETPROP); // the one hostPlatform() already ran
  return typeof viaTool === "function" ? viaTool : null;
}
