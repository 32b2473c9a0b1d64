/**
 * `runSync`: spawn, drain and reap one child on the calling thread with one epoll loop.
 * @module
 */
import { OutputBudget, StdinFeeder, StreamCapture } from "../drain.ts";
import { closeFd } from "../fds.ts";
import { libc } from "../libc.ts";
import { hostPlatform } from "../platform.ts";
import { openPidfd, reap, type Reaped, sendSignal } from "../process_control.ts";
import { Epoll } from "../reactor.ts";
import { TimerFd } from "../timer_fd.ts";
import type { SpawnOptions } from "./options.ts";
import { type Output, OutputOverflowError } from "./output.ts";
import type { SpawnPlan } from "./plan.ts";
import { startChild } from "./start.ts";
import type { ChildStdio } from "./stdio.ts";

/**
 * Runs a program to completion and returns its output. Blocks the thread until the child is
 * reaped; nothing (fd, zombie) is left behind, whether it returns or throws.
 *
 * @example Capture output with a timeout
 * ```ts
 * import { runSync } from "@coreshift/core";
 * const out = runSync({ program: "sh", args: ["-c", "echo hi; sleep 5"], timeoutMs: 200 });
 * console.log(new TextDecoder().decode(out.stdout), out.timedOut); // "hi\n" true
 * ```
 *
 * @example Stop a child as soon as its output said enough
 * ```ts
 * import { runSync } from "@coreshift/core";
 * const out = runSync({
 *   program: "yes",
 *   earlyExit: (chunk) => chunk.includes(0x0a),
 *   afterEarlyExit: "kill",
 * });
 * console.log(out.stdoutEarlyExited); // true
 * ```
 *
 * @throws {CoreError} for bad options (`InvalidArgument`), a missing or non-executable program
 *   (`ENOENT`, `EACCES`), options the libc cannot do (`UnsupportedOption`), failed syscalls
 *   (their errno name); {@linkcode OutputOverflowError} when output exceeds `maxOutput`.
 */
export function runSync(options: SpawnOptions): Output {
  const { pid, plan, stdio, startedAt } = startChild(options, "sync");
  const run = new SyncRun(pid, plan, stdio, startedAt);
  try {
    return run.drainAndReap();
  } finally {
    run.dispose();
  }
}

const TOKEN_STDIN = 0;
const TOKEN_STDOUT = 1;
const TOKEN_STDERR = 2;
const TOKEN_PIDFD = 3;
const TOKEN_DEADLINE = 4;
/** Without a pidfd, how often a child with no open pipes is polled for its exit. */
const POLL_MS = 1;

/** One child being drained on this thread. */
class SyncRun {
  readonly #pid: number;
  readonly #plan: SpawnPlan;
  readonly #stdio: ChildStdio;
  readonly #started: number;
  /** Created only when there is something to watch: a null-stdio child needs no epoll. */
  #epoll: Epoll | null = null;
  readonly #budget: OutputBudget;
  readonly #out: StreamCapture;
  readonly #err: StreamCapture;
  readonly #feeder: StdinFeeder | null;
  readonly #group: boolean;
  #pidfd = -1;
  /** Wakes the loop at the timeout to the µs (epoll_wait alone counts whole ms). */
  #deadlineTimer: TimerFd | null = null;
  #reaped: Reaped | null = null;
  #timedOut = false;
  #earlyExited = false;
  /** A kill was started (timeout or early exit): stop waiting for grandchildren's EOF. */
  #cancelling = false;
  #killAt = Infinity;

  constructor(pid: number, plan: SpawnPlan, stdio: ChildStdio, started: number) {
    this.#pid = pid;
    this.#plan = plan;
    this.#stdio = stdio;
    this.#started = started;
    this.#budget = new OutputBudget(plan.maxOutput);
    this.#out = new StreamCapture(this.#budget);
    this.#err = new StreamCapture(this.#budget);
    this.#feeder = plan.stdin instanceof Uint8Array ? new StdinFeeder(plan.stdin) : null;
    this.#group = plan.pgroup !== "none";
  }

  drainAndReap(): Output {
    const stdio = this.#stdio;
    if (stdio.stdin >= 0 && this.#feeder!.done) this.#closeStdin();
    if (stdio.stdin < 0 && stdio.stdout < 0 && stdio.stderr < 0 && !this.#needsExitWakeup()) {
      this.#setReaped(reap(this.#pid, true)); // nothing to drain, no timer: just wait
      return this.#finish();
    }
    const epoll = this.#epoll = new Epoll();
    if (stdio.stdin >= 0) epoll.add(stdio.stdin, "write", TOKEN_STDIN);
    if (stdio.stdout >= 0) epoll.add(stdio.stdout, "read", TOKEN_STDOUT);
    if (stdio.stderr >= 0) epoll.add(stdio.stderr, "read", TOKEN_STDERR);
    const timeoutMs = this.#plan.timeoutMs;
    const deadline = timeoutMs === null ? Infinity : this.#started + timeoutMs;
    if (deadline !== Infinity) {
      this.#deadlineTimer = TimerFd.open();
      this.#deadlineTimer?.armIn(deadline - performance.now());
      if (this.#deadlineTimer) epoll.add(this.#deadlineTimer.fd, "read", TOKEN_DEADLINE);
    }
    if (this.#needsExitWakeup()) {
      this.#pidfd = openPidfd(this.#pid, hostPlatform());
      if (this.#pidfd >= 0) epoll.add(this.#pidfd, "read", TOKEN_PIDFD);
    }

    for (;;) {
      const outputsOpen = stdio.stdout >= 0 || stdio.stderr >= 0;
      if (this.#reaped) {
        this.#closeStdin();
        if (!outputsOpen) break;
        if (this.#cancelling) {
          this.#drainWhatIsBuffered();
          break;
        }
      } else if (!outputsOpen && stdio.stdin < 0 && !this.#needsExitWakeup()) {
        this.#setReaped(reap(this.#pid, true));
        continue;
      }

      const now = performance.now();
      let timeout = -1;
      if (!this.#timedOut && deadline !== Infinity && !this.#deadlineTimer) {
        timeout = msUntil(deadline, now);
      }
      if (this.#killAt !== Infinity) timeout = minTimeout(timeout, msUntil(this.#killAt, now));
      if (!this.#reaped && this.#pidfd < 0 && (!outputsOpen || this.#cancelling)) {
        timeout = minTimeout(timeout, POLL_MS);
      }

      let childMayHaveExited = this.#pidfd < 0;
      let timerDue = 0; // the deadline timer fired: due even if performance.now() reads a hair early
      for (const ev of epoll.wait(timeout)) {
        if (ev.token === TOKEN_PIDFD) childMayHaveExited = true;
        else if (ev.token === TOKEN_DEADLINE) timerDue = this.#deadlinePassed(deadline);
        else if (ev.token === TOKEN_STDIN) this.#feedStdin();
        else this.#readOutput(ev.token === TOKEN_STDOUT ? "stdout" : "stderr");
      }
      if (!this.#reaped && childMayHaveExited) this.#setReaped(reap(this.#pid, false));
      this.#checkDeadlines(Math.max(performance.now(), timerDue), deadline);
    }
    return this.#finish();
  }

  /**
   * Whether the loop must wake when the child exits while a timer is pending (a timeout or a
   * SIGTERM→SIGKILL grace). Otherwise pipes EOF on exit and a blocking wait4 is cheapest.
   */
  #needsExitWakeup(): boolean {
    if (this.#plan.timeoutMs !== null && !this.#timedOut) return true;
    if (this.#killAt !== Infinity) return true;
    return this.#plan.earlyExit !== null && this.#plan.afterEarlyExit === "kill" &&
      this.#plan.cancel === "graceful";
  }

  /** The deadline timer fired: take it out of the loop; returns the deadline as "now". */
  #deadlinePassed(deadline: number): number {
    this.#closeDeadlineTimer();
    return deadline;
  }

  #closeDeadlineTimer(): void {
    this.#deadlineTimer?.close(); // closing drops it from the epoll set
    this.#deadlineTimer = null;
  }

  /** Kills and reaps the child if still running, and closes every fd. Runs on every path. */
  dispose(): void {
    try {
      if (!this.#reaped) {
        sendSignal(this.#pid, libc().abi.kernel.common.signals.SIGKILL, this.#group);
        this.#setReaped(reap(this.#pid, true));
      }
    } finally {
      this.#closePidfd();
      this.#closeDeadlineTimer();
      this.#stdio.closeAll();
      this.#epoll?.close();
    }
  }

  #finish(): Output {
    const reaped = this.#reaped!;
    const output: Output = {
      pid: this.#pid,
      status: reaped.status,
      success: reaped.status.kind === "exited" && reaped.status.code === 0,
      stdout: this.#out.bytes(),
      stderr: this.#err.bytes(),
      timedOut: this.#timedOut,
      stdoutEarlyExited: this.#earlyExited,
      durationMs: performance.now() - this.#started,
      rusage: reaped.rusage,
    };
    if (this.#budget.overflowed) {
      throw new OutputOverflowError(output, this.#plan.maxOutput, this.#budget.dropped);
    }
    return output;
  }

  #setReaped(reaped: Reaped | null): void {
    if (!reaped) return;
    this.#reaped = reaped;
    this.#closePidfd(); // an exited pidfd stays readable: keep it out of the loop
    // The leader is gone; members of its group that outlived the cancel would be orphans.
    if (this.#cancelling && this.#group) this.#signal("SIGKILL");
  }

  #readOutput(stream: "stdout" | "stderr"): void {
    const fd = this.#stdio[stream];
    if (fd < 0) return;
    const capture = stream === "stdout" ? this.#out : this.#err;
    const earlyExit = this.#plan.earlyExit;
    const result = capture.readOnce(fd, stream === "stdout" && earlyExit !== null);
    if (result === "again") return;
    if (result.n === 0) return this.#closeOutput(stream);
    if (stream === "stdout" && earlyExit && earlyExit(result.chunk)) {
      this.#earlyExited = true;
      this.#closeOutput("stdout");
      if (this.#plan.afterEarlyExit === "kill" && !this.#reaped) this.#beginCancel();
    }
  }

  /** After a kill, take what the pipes already hold without waiting for grandchildren. */
  #drainWhatIsBuffered(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      while (this.#stdio[stream] >= 0) {
        const capture = stream === "stdout" ? this.#out : this.#err;
        const result = capture.readOnce(this.#stdio[stream]);
        if (result === "again" || result.n === 0) this.#closeOutput(stream);
      }
    }
  }

  #feedStdin(): void {
    const fd = this.#stdio.stdin;
    if (fd < 0) return;
    const result = this.#feeder!.writeOnce(fd);
    if (result === "done" || result === "childClosed") this.#closeStdin();
  }

  #checkDeadlines(now: number, deadline: number): void {
    if (!this.#timedOut && now >= deadline) {
      this.#timedOut = true;
      if (!this.#reaped) this.#beginCancel();
    }
    if (now >= this.#killAt) {
      this.#killAt = Infinity;
      if (!this.#reaped) this.#signal("SIGKILL");
    }
  }

  /** Starts the cancel policy: SIGKILL now, or SIGTERM now and SIGKILL after the grace. */
  #beginCancel(): void {
    this.#cancelling = true;
    if (this.#plan.cancel === "graceful") {
      this.#signal("SIGTERM");
      this.#killAt = performance.now() + this.#plan.killGraceMs;
    } else {
      this.#signal("SIGKILL");
    }
  }

  #signal(name: "SIGTERM" | "SIGKILL"): void {
    sendSignal(this.#pid, libc().abi.kernel.common.signals[name], this.#group);
  }

  #closeOutput(stream: "stdout" | "stderr"): void {
    closeFd(this.#stdio[stream]); // closing removes it from the epoll set
    this.#stdio[stream] = -1;
  }

  #closeStdin(): void {
    if (this.#stdio.stdin < 0) return;
    closeFd(this.#stdio.stdin);
    this.#stdio.stdin = -1;
  }

  #closePidfd(): void {
    if (this.#pidfd >= 0) closeFd(this.#pidfd);
    this.#pidfd = -1;
  }
}

function msUntil(when: number, now: number): number {
  return Math.max(0, Math.ceil(when - now));
}

function minTimeout(a: number, b: number): number {
  return a < 0 ? b : Math.min(a, b);
}
