/**
 * What this process runs on: OS, libc, arch, Android API level, kernel version. Every decision
 * that depends on the platform takes a {@linkcode Platform} argument, so tests can pass a
 * pretend one (say, bionic at API 29) and check what would be called.
 * @module
 */
import type { ArchName, LibcName } from "./abi/mod.ts";
import { libc } from "./libc.ts";

/** The facts coreshift's choices depend on. */
export interface Platform {
  /** `"android"` for bionic Deno (Termux); `"linux"` otherwise. */
  readonly os: "linux" | "android";
  /** Which C library this Deno is linked against. */
  readonly libc: LibcName;
  /** glibc: `"2.36"`; bionic: `"api<N>"`. */
  readonly libcVersion: string;
  /** CPU architecture. */
  readonly arch: ArchName;
  /** The device's API level on Android, else `null`. */
  readonly androidApi: number | null;
  /** Kernel `[major, minor]` from `uname -r`. */
  readonly kernel: readonly [number, number];
}

let cached: Platform | undefined;

/** The platform this process runs on, detected once. */
export function hostPlatform(): Platform {
  return cached ??= detect();
}

function detect(): Platform {
  const c = libc();
  const api = c.name === "bionic" ? Number(c.version.slice(3)) || null : null;
  return {
    os: c.name === "bionic" ? "android" : "linux",
    libc: c.name,
    libcVersion: c.version,
    arch: c.abi.arch,
    androidApi: api,
    kernel: parseKernelRelease(Deno.osRelease()),
  };
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
