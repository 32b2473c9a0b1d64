/**
 * How a child ended, decoded from the kernel's wait status word.
 * @module
 */
import { LINUX_COMMON } from "../abi/linux_common.ts";

/**
 * How a child ended: `{ kind: "exited", code }` (0–255) for a child that returned from main or
 * called exit, or `{ kind: "signaled", signal, signalName, coreDumped }` for one killed by a
 * signal (`signalName` is e.g. `"SIGKILL"`, or `"SIG<n>"` for one outside the table).
 */
export type ExitStatus =
  | { readonly kind: "exited"; readonly code: number }
  | {
    readonly kind: "signaled";
    readonly signal: number;
    readonly signalName: string;
    readonly coreDumped: boolean;
  };

/** A child that returned from main or called exit. */
export type Exited = Extract<ExitStatus, { kind: "exited" }>;
/** A child killed by a signal. */
export type Signaled = Extract<ExitStatus, { kind: "signaled" }>;

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(LINUX_COMMON.signals).map(([name, n]) => [n, name]),
);

/** The name of signal `n` (`9` → `"SIGKILL"`). */
export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `SIG${n}`;
}

/** The number of a signal given by name or number; undefined when unknown. */
export function signalNumber(signal: string | number): number | undefined {
  if (typeof signal === "number") {
    // 0 is the liveness check kill(2) defines: nothing is sent. 64 is SIGRTMAX on Linux.
    return Number.isInteger(signal) && signal >= 0 && signal <= 64 ? signal : undefined;
  }
  return LINUX_COMMON.signals[signal];
}

/** The status of a child killed by signal `n` (no core dump). */
export function signaledBy(n: number): Signaled {
  return { kind: "signaled", signal: n, signalName: signalName(n), coreDumped: false };
}

/**
 * Decodes a Linux wait status (the `WIFEXITED`/`WTERMSIG` macros: low 7 bits are the signal,
 * 0 meaning a normal exit whose code is in bits 8–15; bit 7 is the core flag).
 */
export function decodeWaitStatus(status: number): ExitStatus {
  const signal = status & 0x7f;
  if (signal === 0) return { kind: "exited", code: (status >> 8) & 0xff };
  return { ...signaledBy(signal), coreDumped: (status & 0x80) !== 0 };
}

/**
 * The shell's view of a status: the exit code, or 128 + the signal number, as `sh` and
 * `timeout(1)` report it.
 */
export function shellExitCode(status: ExitStatus): number {
  return status.kind === "exited" ? status.code : 128 + status.signal;
}
