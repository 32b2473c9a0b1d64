/**
 * The rules of supervising one child, written once: deadline → first signal → grace → SIGKILL;
 * once the leader is reaped after a stop, kill what is left of its group and take what the pipes
 * hold without waiting for EOF; early exit; abort; a callback that throws. It does no I/O: each
 * input (`timeout`, `abort`, `earlyExit`, `callbackFailed`, `graceOver`, `reaped`, `stop`) calls
 * the driver's {@linkcode SupervisionPort}, which owns the pids, fds and timers. `runSync` drives
 * it from one epoll loop, `Child` from the fd poller, `ProcessRegistry.cancelByTag` and
 * `runAsRoot` through their own first signal and their own way of sending it.
 * @module
 */

/** A signal the supervisor sends, by its name in the ABI table (`"SIGTERM"`, `"SIGUSR1"`, …). */
export type StopSignal = string;

/** What a driver does for the supervisor: its outputs. */
export interface SupervisionPort {
  /**
   * Sends `signal` to the child's process group (`group`, even after the leader was reaped) or
   * to the child itself (only ever while it is not reaped: its pid may be reused after).
   */
  signal(signal: StopSignal | "SIGCONT", group: boolean): void;
  /** Calls {@linkcode Supervision.graceOver} `ms` from now, unless the child finishes first. */
  armGrace(ms: number): void;
  /** Stops reading stdout (early exit) and closes it; stderr is read on. */
  closeStdout(): void;
  /** Takes what the pipes hold now and closes them, without waiting for EOF from survivors. */
  cutPipes(): void;
  /** Closes the child's stdin: nobody will read it. */
  closeStdin(): void;
}

/** How a stop escalates: the first signal, then SIGKILL after `graceMs` unless reaped. */
export interface Escalation {
  readonly first: StopSignal;
  readonly graceMs: number;
}

/** What the supervisor needs from the plan. */
export interface SupervisionPolicy {
  /** The child leads a process group: signals go to the group. */
  readonly group: boolean;
  /** How a timeout or an abort stops the child; null: they only mark it (`cancel: "none"`). */
  readonly escalation: Escalation | null;
  /** Whether going past the output cap stops the child (`overflow: "kill"`). */
  readonly stopOnOverflow: boolean;
  /** Whether an early exit stops the child or lets it run to its end. */
  readonly afterEarlyExit: "wait" | "kill";
}

/**
 * The escalation a spawn's `cancel`, `killSignal` and `killGraceMs` options name (null for
 * `"none"`).
 */
export function cancelEscalation(
  cancel: "kill" | "graceful" | "none",
  killGraceMs: number,
  killSignal = "SIGTERM",
): Escalation | null {
  if (cancel === "none") return null;
  return cancel === "graceful"
    ? { first: killSignal, graceMs: killGraceMs }
    : { first: "SIGKILL", graceMs: 0 };
}

const KILL_NOW: Escalation = { first: "SIGKILL", graceMs: 0 };

/** One child's supervision state. Create one per child; feed it inputs from its driver. */
export class Supervision {
  /** The timeout fired (before the child was reaped, or while survivors held its pipes). */
  timedOut = false;
  /** The `earlyExit` callback said enough. */
  earlyExited = false;
  /** The AbortSignal fired. */
  aborted = false;
  /** What a callback threw: the run ends with it. */
  callbackError: { readonly error: unknown } | null = null;
  /** A stop began: after the reap, nothing more is waited for. */
  stopping = false;
  /** The child was reaped. */
  isReaped = false;
  /** The child was stopped with SIGSTOP by the user: a first signal must be followed by SIGCONT. */
  paused = false;
  /** The output went past the cap (`overflowed` was called). */
  overflowSeen = false;

  readonly #policy: SupervisionPolicy;
  readonly #port: SupervisionPort;

  constructor(policy: SupervisionPolicy, port: SupervisionPort) {
    this.#policy = policy;
    this.#port = port;
  }

  /** The deadline passed. */
  timeout(): void {
    if (this.#finishedStopping()) return;
    this.timedOut = true;
    this.#stopPerPolicy();
  }

  /** The AbortSignal fired. */
  abort(): void {
    if (this.#finishedStopping()) return;
    this.aborted = true;
    this.#stopPerPolicy();
  }

  /** The `earlyExit` callback returned true. */
  earlyExit(): void {
    this.earlyExited = true;
    // Signal before closing: a writer that met the closed pipe first would die of SIGPIPE.
    if (this.#policy.afterEarlyExit === "kill" && !this.isReaped) this.#stopPerPolicy();
    this.#port.closeStdout();
  }

  /** A user callback threw: the child is killed at once and the run ends with `error`. */
  callbackFailed(error: unknown): void {
    this.callbackError ??= { error };
    this.stop(KILL_NOW);
  }

  /** The output went past the cap: with `overflow: "kill"` the child is stopped now. */
  overflowed(): void {
    if (this.overflowSeen) return;
    this.overflowSeen = true;
    if (this.#policy.stopOnOverflow && !this.isReaped) {
      this.stop(this.#policy.escalation ?? KILL_NOW);
    }
  }

  /** A timeout, abort or early exit stops the child per `cancel`; `"none"` only marks it. */
  #stopPerPolicy(): void {
    if (this.#policy.escalation) this.stop(this.#policy.escalation);
  }

  /**
   * Begins a stop with `escalation`. Before the reap: the first signal (with SIGCONT for a
   * paused child, which would not see a SIGTERM), then SIGKILL after the grace. After the reap
   * (survivors hold the pipes): kill the group and cut the pipes. A second stop before the reap
   * changes nothing, except that a SIGKILL one is sent at once.
   */
  stop(escalation: Escalation): void {
    const first = !this.stopping;
    this.stopping = true;
    if (this.isReaped) return this.#cutLoose();
    if (!first && escalation.first !== "SIGKILL") return;
    const { group } = this.#policy;
    this.#port.signal(escalation.first, group);
    if (escalation.first === "SIGKILL") return;
    if (this.paused) this.#port.signal("SIGCONT", group);
    if (escalation.graceMs !== Infinity) this.#port.armGrace(escalation.graceMs);
  }

  /** The grace after the first signal ran out. */
  graceOver(): void {
    // After the reap, the group was already killed by `reaped`.
    if (!this.isReaped) this.#port.signal("SIGKILL", this.#policy.group);
  }

  /** The child was reaped. */
  reaped(): void {
    this.isReaped = true;
    this.#port.closeStdin();
    if (this.stopping) this.#cutLoose();
  }

  /** The leader is gone after a stop: what is left of its group would be orphans. */
  #cutLoose(): void {
    if (this.#policy.group) this.#port.signal("SIGKILL", true);
    this.#port.cutPipes();
  }

  /** A stop already ended in the reap: a later timer or abort must not touch the result. */
  #finishedStopping(): boolean {
    return this.stopping && this.isReaped;
  }
}
