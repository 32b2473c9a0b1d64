/**
 * What this process runs on: OS, libc, arch, Android API level, kernel version. Every decision
 * that depends on the platform takes a {@linkcode Platform} argument, so tests can pass a
 * pretend one (say, bionic at API 29) and check what would be called.
 * @module
 */
import type { ArchName, LibcName } from "../abi/mod.ts";
import { libc } from "../os/libc.ts";
import { type PropertyReader, sharedGetpropReader } from "../os/properties.ts";

/** The facts coreshift's choices depend on. */
export interface Platform {
  /**
   * `"android"` on an Android device: bionic Deno (Termux), or a glibc Deno that finds
   * `/system/bin/getprop` (glibc-runner, proot). The app seccomp filter applies to both.
   */
  readonly os: "linux" | "android";
  /** Which C library this Deno is linked against. */
  readonly libc: "glibc" | "bionic";
  /** glibc: `"2.36"`; bionic: `"api<N>"`. */
  readonly libcVersion: string;
  /** CPU architecture. */
  readonly arch: "x86_64" | "aarch64";
  /** The device's API level on Android, else `null`. */
  readonly androidApi: number | null;
  /** Kernel `[major, minor]` from `uname -r`. */
  readonly kernel: readonly [number, number];
}

let cached: Platform | undefined;

/** Where Android keeps `getprop`; its presence marks a glibc Deno running on Android. */
export const SYSTEM_GETPROP = "/system/bin/getprop";

/** The platform this process runs on, detected once. */
export function hostPlatform(): Platform {
  if (cached) return cached;
  const c = libc();
  return cached = platformFrom({
    libc: c.name,
    libcVersion: c.version,
    arch: c.abi.arch,
    osRelease: Deno.osRelease(),
    androidProperties: () => c.name === "bionic" ? null : sharedGetpropReader(SYSTEM_GETPROP),
  });
}

/** What {@linkcode platformFrom} decides from; tests pass pretend values. */
export interface HostFacts {
  /** The C library Deno is linked against. */
  readonly libc: LibcName;
  /** glibc: `"2.36"`; bionic: `"api<N>"`. */
  readonly libcVersion: string;
  /** CPU architecture. */
  readonly arch: ArchName;
  /** `uname -r`. */
  readonly osRelease: string;
  /**
   * For a glibc Deno: Android's properties through `getprop` when this is an Android device
   * (`"unreadable"` when getprop exists but could not run), else null. Not called for bionic,
   * whose libc answers directly.
   */
  readonly androidProperties: () => PropertyReader | "unreadable" | null;
}

/**
 * The platform from `facts`. On a glibc Deno that finds Android but cannot read the API level,
 * the level stays null: every seccomp gate then stays closed, the safe way to be wrong.
 */
export function platformFrom(facts: HostFacts): Platform {
  const kernel = parseKernelRelease(facts.osRelease);
  const base = { libc: facts.libc, libcVersion: facts.libcVersion, arch: facts.arch, kernel };
  if (facts.libc === "bionic") {
    const api = Number(facts.libcVersion.slice(3));
    return { ...base, os: "android", androidApi: Number.isInteger(api) && api > 0 ? api : null };
  }
  const properties = facts.androidProperties();
  if (properties === null) return { ...base, os: "linux", androidApi: null };
  const api = properties === "unreadable" ? NaN : Number(properties("ro.build.version.sdk"));
  return { ...base, os: "android", androidApi: Number.isInteger(api) && api > 0 ? api : null };
}

/** `"6.1.0-18-amd64"` → `[6, 1]`; unparsable → `[0, 0]` (gates then stay closed). */
export function parseKernelRelease(release: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** Compares dotted versions: `versionAtLeast("2.36", "2.29")` → true. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map(Number);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    if (Number.isNaN(x)) return false;
    if (x !== b[i]) return x > b[i];
  }
  return true;
}
