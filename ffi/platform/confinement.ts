/**
 * What confines this process, from `/proc/self/status`: its seccomp mode and filter count and
 * the no-new-privileges bit. A seccomp filter means some syscalls may kill us with SIGSYS.
 * @module
 */
import { readProcText } from "../os/proc_files.ts";

/** `Seccomp:` in `/proc/self/status`: 0 disabled, 1 strict, 2 filter. */
export type SeccompMode = "disabled" | "strict" | "filter" | "unknown";

/** How this process is confined. */
export interface Confinement {
  /** The seccomp mode. */
  readonly seccomp: SeccompMode;
  /** Stacked seccomp filters (`Seccomp_filters:`, Linux 5.9+), or null when not reported. */
  readonly filters: number | null;
  /** `NoNewPrivs:`: set-uid programs cannot gain privileges, e.g. `su` will not work. */
  readonly noNewPrivs: boolean;
}

const MODES: Record<string, SeccompMode> = { "0": "disabled", "1": "strict", "2": "filter" };

/** Parses the text of a `/proc/<pid>/status` file. */
export function parseConfinement(status: string): Confinement {
  const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(\\d+)`, "m"))?.[1];
  const filters = field("Seccomp_filters");
  return {
    seccomp: MODES[field("Seccomp") ?? ""] ?? "unknown",
    filters: filters === undefined ? null : Number(filters),
    noNewPrivs: field("NoNewPrivs") === "1",
  };
}

/** Reads this process's confinement. */
export function confinement(): Confinement {
  try {
    return parseConfinement(readProcText("/proc/self/status"));
  } catch {
    return { seccomp: "unknown", filters: null, noNewPrivs: false };
  }
}

/**
 * Whether this process already runs under a seccomp filter: inside a sandbox, a container
 * runtime's profile, or another supervisor. On Android 8.0 (API 26) and later every app process
 * (Termux included) runs under the filter zygote installs, so it is true there; Android 7.x
 * installs no app filter. It says a filter is present, not who installed it.
 *
 * @example
 * ```ts
 * import { hasSeccompFilter } from "@coreshift/core";
 * if (hasSeccompFilter()) console.log("syscalls outside its list may kill us with SIGSYS");
 * ```
 */
export function hasSeccompFilter(): boolean {
  return confinement().seccomp === "filter";
}

/**
 * The old name of {@linkcode hasSeccompFilter}: "nested" said where the process runs, not what
 * it found.
 *
 * @deprecated Use {@linkcode hasSeccompFilter}; this alias goes in the next release.
 * @example
 * ```ts
 * import { isNested } from "@coreshift/core";
 * console.log(isNested()); // as hasSeccompFilter()
 * ```
 */
export const isNested: () => boolean = hasSeccompFilter;
