/**
 * What `coreshift run` does with a signal sent to it, as timeout(1) does: it is passed on to the
 * child (to its group with `--pgroup`/`--setsid`), and coreshift then exits with the child's
 * status. SIGALRM counts as the timeout. The first relayed signal also starts the kill grace
 * (`--kill-grace`), after which SIGKILL follows. Relayed: the signals that end a process by
 * default and that Deno lets a program listen to (it refuses SIGILL, SIGFPE and SIGSEGV).
 * @module
 */
import type { Child } from "../ffi/run/child.ts";

/** Passed on to the child. */
export const RELAYED = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGTERM",
  "SIGPIPE",
  "SIGUSR1",
  "SIGUSR2",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGSYS",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
] as const satisfies readonly Deno.Signal[];

/** How a stop goes: the first signal on a timeout, and the grace before SIGKILL (Infinity: none). */
export interface StopPlan {
  readonly timeoutSignal: string | number;
  readonly graceMs: number;
  /** Signals go to the child's process group. */
  readonly group: boolean;
}

/**
 * Relays signals to the child while installed; `alarmed` tells whether SIGALRM arrived. It is
 * installed before the child starts, so no signal finds Deno's default action in between; one
 * that arrives before {@linkcode SignalRelay.attach} is delivered then.
 */
export class SignalRelay {
  #alarmed = false;
  #stopping = false;
  #child: Child | null = null;
  #early: string | number | null = null;
  readonly #plan: StopPlan;
  readonly #listeners: [Deno.Signal, () => void][];

  constructor(plan: StopPlan) {
    this.#plan = plan;
    this.#listeners = [
      ["SIGALRM", () => {
        this.#alarmed = true;
        this.deliver(plan.timeoutSignal);
      }],
      ...RELAYED.map((name) => [name, () => this.deliver(name)] as [Deno.Signal, () => void]),
    ];
    for (const [name, listener] of this.#listeners) Deno.addSignalListener(name, listener);
  }

  /** SIGALRM arrived: the run counts as timed out. */
  get alarmed(): boolean {
    return this.#alarmed;
  }

  /**
   * Sends `signal` to the child (its group when it leads one); the first one also starts the
   * grace. Also used for a stdout that closed under us (SIGPIPE, as a shell tool meets it).
   */
  deliver(signal: string | number): void {
    const child = this.#child;
    if (!child) {
      this.#early ??= signal;
      return;
    }
    if (this.#stopping) {
      if (this.#plan.group) child.killGroup(signal);
      else child.kill(signal);
      return;
    }
    this.#stopping = true;
    child.stop({ signal, graceMs: this.#plan.graceMs }).catch(() => {});
  }

  /** The child now exists: signals go to it from here on. */
  attach(child: Child): void {
    this.#child = child;
    if (this.#early) this.deliver(this.#early);
  }

  /** Removes every listener (the signals' Deno handling comes back). */
  remove(): void {
    for (const [name, listener] of this.#listeners) Deno.removeSignalListener(name, listener);
  }
}
