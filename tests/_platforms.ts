/**
 * Pretend platforms for tests that check what would happen on a device this machine is not.
 * @module
 */
import type { Platform } from "../ffi/platform/platform.ts";

/** Options for a pretend platform; defaults are a plausible device of its kind. */
export interface PretendOptions {
  readonly arch?: "aarch64" | "x86_64";
  readonly kernel?: readonly [number, number];
}

/** Bionic on Android at API level `api` (default: aarch64, kernel 5.10). */
export function pretendAndroid(api: number, options: PretendOptions = {}): Platform {
  return {
    os: "android",
    libc: "bionic",
    libcVersion: `api${api}`,
    arch: options.arch ?? "aarch64",
    androidApi: api,
    kernel: options.kernel ?? [5, 10],
  };
}

/** glibc `version` on Linux (default: x86_64, kernel 6.1). */
export function pretendGlibc(version = "2.36", options: PretendOptions = {}): Platform {
  return {
    os: "linux",
    libc: "glibc",
    libcVersion: version,
    arch: options.arch ?? "x86_64",
    androidApi: null,
    kernel: options.kernel ?? [6, 1],
  };
}
