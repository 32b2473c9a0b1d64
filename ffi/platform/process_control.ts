/**
 * Reaping, signalling and watching one child by pid. Only ever our own pids: never
 * `waitpid(-1)`, which would steal `Deno.Command`'s children.
 * @module
 */
import { syscallAllowed } from "./syscall_gate.ts";
import { sysError } from "../os/errors.ts";
import { decodeWaitStatus, type ExitStatus } from "../os/exit_status.ts";
import { libc } from "../os/libc.ts";
import type { Platform } from "./platform.ts";

/** CPU and memory a child used, from `wait4`. */
export interface ResourceUsage {
  /** Peak resident set size in KiB (`ru_maxrss`). */
  readonly maxRssKiB: number;
  /** User CPU time in ms. */
  readonly userMs: number;
  /** System CPU time in ms. */
  readonly systemMs: number;
}

/** A reaped child. */
export interface Reaped {
  readonly status: ExitStatus;
  readonly rusage: ResourceUsage;
  /** For a pipeline: every stage's status, in order (`status` is then the last stage's). */
  readonly stages?: readonly ExitStatus[];
}

/**
 * `wait4(pid)`: with `block` false returns null while the child runs. Retries EINTR.
 */
export function reap(pid: number, block: boolean): Reaped | null {
  const c = libc();
  const { wait, errno } = c.abi.kernel.common;
  const layout = c.abi.kernel.rusage;
  const { status, usage, view } = reapBuffers(layout.size);
  for (;;) {
    const rc = c.symbols.wait4(pid, status, block ? 0 : wait.WNOHANG, usage);
    if (rc === pid) {
      const ms = (offset: number) =>
        Number(view.getBigInt64(offset, true)) * 1000 +
        Number(view.getBigInt64(offset + 8, true)) / 1000;
      return {
        status: decodeWaitStatus(new DataView(status.buffer).getInt32(0, true)),
        rusage: {
          maxRssKiB: Number(view.getBigInt64(layout.maxrssOffset, true)),
          userMs: ms(layout.utimeOffset),
          systemMs: ms(layout.stimeOffset),
        },
      };
    }
    if (rc === 0) return null;
    const e = c.errno();
    if (e !== errno.EINTR) throw sysError("wait4", e);
  }
}

let buffers: { status: Uint8Array; usage: Uint8Array; view: DataView } | undefined;

/** wait4's out-parameters, reused: every result is decoded before the next call. */
function reapBuffers(rusageSize: number) {
  if (!buffers) {
    const usage = new Uint8Array(rusageSize);
    buffers = { status: new Uint8Array(4), usage, view: new DataView(usage.buffer) };
  }
  return buffers;
}

/**
 * Sends `signal` to `pid`, or to its process group when `group` (the child leads one).
 * Returns false when there is nobody left to signal (ESRCH).
 */
export function sendSignal(pid: number, signal: number, group: boolean): boolean {
  const c = libc();
  if (c.symbols.kill(group ? -pid : pid, signal) === 0) return true;
  const e = c.errno();
  if (e === c.abi.kernel.common.errno.ESRCH) return false;
  throw sysError(group ? "kill process group" : "kill", e);
}

/**
 * A pidfd for `pid` that becomes readable when the child exits, or -1 where the platform's
 * syscall gate forbids `pidfd_open` (Android below API 30, Linux before 5.3) or the kernel
 * refuses it. Out of fds (EMFILE, ENFILE) is not a refusal: it throws, since every fallback
 * needs fds too.
 */
export function openPidfd(pid: number, platform: Platform): number {
  if (!syscallAllowed("pidfd_open", platform)) return -1;
  const c = libc();
  const fd = Number(c.symbols.syscall(BigInt(c.abi.kernel.syscalls.pidfd_open), BigInt(pid), 0n));
  // pidfds are always close-on-exec (the kernel sets O_CLOEXEC on them).
  if (fd >= 0) return fd;
  const e = c.errno();
  const { EMFILE, ENFILE } = c.abi.kernel.common.errno;
  if (e === EMFILE || e === ENFILE) {
    throw sysError("pidfd_open", e, "the process is out of file descriptors (ulimit -n)");
  }
  return -1;
}
