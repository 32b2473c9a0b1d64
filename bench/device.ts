/**
 * The device a bench ran on, so figures can be shared and compared: arch, libc, kernel, CPU
 * model and cores, Deno version, and on Android the model, SoC, API level and CPU governor.
 * Runs under qemu-user are detected (the process's own name is qemu's) and marked emulated:
 * their timings say nothing about the hardware.
 * @module
 */
import { platform } from "../android/platform.ts";
import { readProcText } from "../ffi/os/proc_files.ts";

/** Where and how a bench ran. */
export interface Device {
  /** `android` when bionic or Android's system properties were found. */
  readonly os: "linux" | "android";
  /** `x86_64` or `aarch64`. */
  readonly arch: string;
  /** `glibc` or `bionic`. */
  readonly libc: string;
  /** glibc's version, or `api<N>` for bionic. */
  readonly libcVersion: string;
  /** The kernel release (`uname -r`). */
  readonly kernel: string;
  /** From /proc/cpuinfo (`model name`, `Hardware`, or the CPU part), null when absent. */
  readonly cpuModel: string | null;
  /** Online CPUs. */
  readonly cores: number;
  /** Deno's version. */
  readonly deno: string;
  /** Model, SoC, API level, CPU governor; null off Android. */
  readonly android: {
    readonly model: string | null;
    readonly soc: string | null;
    readonly api: number | null;
    readonly governor: string | null;
  } | null;
  /** True under an emulator (qemu-user): timings are the emulator's, not the CPU's. */
  readonly emulated: boolean;
  /** What emulates it, e.g. `"qemu-aarch64-static"`, or null. */
  readonly emulator: string | null;
}

/** The model line of `/proc/cpuinfo` (x86 `model name`, ARM `Hardware` or `CPU part`). */
export function cpuModelFrom(cpuinfo: string): string | null {
  for (const key of ["model name", "Hardware", "Model", "CPU part"]) {
    const m = new RegExp(`^${key}\\s*:\\s*(.+)$`, "m").exec(cpuinfo);
    if (m) return m[1].trim();
  }
  return null;
}

/**
 * The emulator running this process, or null. qemu-user keeps its own name as the process's
 * (`Name:` in /proc/self/status, truncated to 15 bytes); an x86 cpuinfo on an ARM process
 * (qemu passes the host's through) is the fallback sign.
 */
export function emulatorFrom(status: string, cpuinfo: string, arch: string): string | null {
  const name = /^Name:\s*(.+)$/m.exec(status)?.[1].trim() ?? "";
  if (name.startsWith("qemu-")) return name;
  if (arch === "aarch64" && /^vendor_id\s*:/m.test(cpuinfo)) return "unknown (x86 host CPU seen)";
  return null;
}

/**
 * The arch of the executables the kernel runs for this process: Deno's own, except under an
 * emulator, where only the host CPU's run (qemu-user without binfmt_misc cannot exec a guest
 * binary). `cpuinfo` is the host's either way.
 */
export function kernelArchFrom(emulated: boolean, cpuinfo: string, arch: string): string {
  if (!emulated) return arch;
  return /^vendor_id\s*:/m.test(cpuinfo) ? "x86_64" : "aarch64";
}

/** {@linkcode kernelArchFrom} for this process. */
export function kernelArch(): string {
  const cpuinfo = read("/proc/cpuinfo");
  const arch = platform().arch;
  const emulated = emulatorFrom(read("/proc/self/status"), cpuinfo, arch) !== null;
  return kernelArchFrom(emulated, cpuinfo, arch);
}

function read(path: string): string {
  try {
    return readProcText(path);
  } catch {
    return "";
  }
}

/** This device. */
export function hostDevice(): Device {
  const p = platform();
  const cpuinfo = read("/proc/cpuinfo");
  const emulator = emulatorFrom(read("/proc/self/status"), cpuinfo, p.arch);
  const governor = read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").trim() || null;
  return {
    os: p.os,
    arch: p.arch,
    libc: p.libc,
    libcVersion: p.libcVersion,
    kernel: p.kernelRelease,
    cpuModel: cpuModelFrom(cpuinfo) ?? p.device?.soc ?? null,
    cores: navigator.hardwareConcurrency,
    deno: Deno.version.deno,
    android: p.os === "android"
      ? { model: p.device?.model ?? null, soc: p.device?.soc ?? null, api: p.androidApi, governor }
      : null,
    emulated: emulator !== null,
    emulator,
  };
}
