/**
 * `runSync`: spawn, drain and reap one child on the calling thread with one epoll loop: the
 * synchronous driver of {@linkcode Supervision}, which decides every stop.
 * @module
 */
import { Capture, OutputBudget, PipeReadSize, readInto, StdinFeeder } from "../supervise/drain.ts";
import { closeFd, writeSome } from "../os/fds.ts";
import { ptyEndOfInput } from "../os/pty.ts";
import { hostPlatform } from "../platform/platform.ts";
import { openPidfd, type Reaped } from "../platform/process_control.ts";
import { Epoll } from "../os/epoll.ts";
import { TimerFd } from "../os/timer_fd.ts";
import type { SpawnOptions } from "../options/options.ts";
import type { StopSignal, Supervision, SupervisionPort } from "../supervise/supervision.ts";
import type { Output } from "../supervise/output.ts";
import { offerEarlyExit, outputOf, signalChild, supervisionFor } from "../supervise/driver.ts";
import { killStarted } from "../start/kill_started.ts";
import type { SupervisePlan } from "../plan/plan.ts";
import { childGroup } from "../options/options.ts";
import { Reaping } from "../supervise/reaping.ts";
import { startChild, type Started } from "../start/start.ts";
import type { ChildFds } from "../plan/child_fds.ts";

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
  return superviseSync(startChild(options, "sync"));
}

/**
 * Drains, supervises and reaps a started child on this thread (and, for a pipeline, waits for
 * the stages before it, `others`); whatever happens, nothing is left behind.
 */
export function superviseSync(started: Started, others: readonly number[] = []): Output {
  const run = new SyncRun(started, others);
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
/** Without a pidfd, how often a child that must be watched for its exit is polled. */
const POLL_MS = 1;
/** How often a pipeline's earlier stages are polled once its last stage has exited. */
const STAGES_POLL_MS = 10;

/** One child being drained on this thread: the sync driver of its {@linkcode Supervision}. */
class SyncRun implements SupervisionPort {
  readonly #pid: number;
  readonly #plan: SupervisePlan;
  readonly #stdio: ChildFds;
  readonly #started: number;
  readonly #sup: Supervision;
  /** Created only when there is something to watch: a null-stdio child needs no epoll. */
  #epoll: Epoll | null = null;
  readonly #budget: OutputBudget;
  readonly #captures: Record<"stdout" | "stderr", Capture>;
  readonly #readSizes = { stdout: new PipeReadSize(), stderr: new PipeReadSize() };
  readonly #feeder: StdinFeeder | null;
  /** The process group stops go to, or null when the child stays in ours. */
  readonly #pgid: number | null;
  #pidfd = -1;
  #pidfdTried = false;
  /** Wakes the loop at the timeout to the µs (epoll_wait alone counts whole ms). */
  #deadlineTimer: TimerFd | null = null;
  #reaped: Reaped | null = null;
  readonly #reaping: Reaping;
  #killAt = Infinity;

  constructor({ pid, plan, stdio, startedMono }: Started, others: readonly number[]) {
    this.#pid = pid;
    this.#plan = plan;
    this.#stdio = stdio;
    this.#started = startedMono;
    this.#reaping = new Reaping(pid, others);
    this.#budget = new OutputBudget(plan.maxOutput);
    this.#captures = { stdout: new Capture(this.#budget), stderr: new Capture(this.#budget) };
    this.#feeder = plan.stdin instanceof Uint8Array ? new StdinFeeder(plan.stdin) : null;
    this.#pgid = childGroup(plan.pgroup, pid);
    this.#sup = supervisionFor(plan, this.#pgid, this);
  }

  drainAndReap(): Output {
    const stdio = this.#stdio;
    if (stdio.stdin >= 0 && this.#feeder!.done) this.#endInput();
    if (stdio.stdin < 0 && stdio.stdout < 0 && stdio.stderr < 0 && !this.#needsExitWakeup()) {
      this.#setReaped(this.#reaping.block()); // nothing to drain, no timer: just wait
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

    for (;;) {
      const outputsOpen = stdio.stdout >= 0 || stdio.stderr >= 0;
      if (this.#reaped) {
        if (!outputsOpen) break;
      } else if (!outputsOpen && stdio.stdin < 0 && !this.#needsExitWakeup()) {
        this.#setReaped(this.#reaping.block());
        continue;
      }
      if (!this.#reaped && !this.#pidfdTried && this.#needsExitWakeup()) this.#watchExit();

      const now = performance.now();
      let timeout = -1;
      if (!this.#sup.timedOut && deadline !== Infinity && !this.#deadlineTimer) {
        timeout = msUntil(deadline, now);
      }
      if (this.#killAt !== Infinity) timeout = minTimeout(timeout, msUntil(this.#killAt, now));
      if (!this.#reaped && this.#pidfd < 0 && (!outputsOpen || this.#sup.stopping)) {
        timeout = minTimeout(timeout, this.#reaping.mainReaped ? STAGES_POLL_MS : POLL_MS);
      }

      let childMayHaveExited = this.#pidfd < 0;
      let timerDue = 0; // the deadline timer fired: due even if performance.now() reads a hair early
      for (const ev of epoll.wait(timeout)) {
        if (ev.token === TOKEN_PIDFD) childMayHaveExited = true;
        else if (ev.token === TOKEN_DEADLINE) timerDue = this.#deadlinePassed(deadline);
        else if (ev.token === TOKEN_STDIN) this.#feedStdin();
        else this.#readOutput(ev.token === TOKEN_STDOUT ? "stdout" : "stderr");
      }
      if (!this.#reaped && childMayHaveExited) this.#setReaped(this.#reaping.poll());
      if (this.#reaping.mainReaped) this.#closePidfd(); // an exited pidfd stays readable
      this.#checkDeadlines(Math.max(performance.now(), timerDue), deadline);
    }
    return this.#finish();
  }

  /**
   * Whether the loop must wake when the child exits: a timer is pending (a timeout or a grace),
   * or a stop began in a group (what survives the leader in it holds the pipes until the reap
   * lets us kill it). Otherwise pipes EOF on exit and a blocking wait4 is cheapest.
   */
  #needsExitWakeup(): boolean {
    if (this.#plan.timeoutMs !== null && !this.#sup.timedOut) return true;
    if (this.#killAt !== Infinity || (this.#sup.stopping && this.#pgid !== null)) return true;
    return this.#plan.earlyExit !== null && this.#plan.afterEarlyExit === "kill" &&
      this.#plan.cancel === "graceful";
  }

  /** A pidfd in the loop, where the platform allows one; else the loop polls. */
  #watchExit(): void {
    this.#pidfdTried = true;
    this.#pidfd = openPidfd(this.#pid, hostPlatform());
    if (this.#pidfd >= 0) this.#epoll!.add(this.#pidfd, "read", TOKEN_PIDFD);
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
        const pipeline = this.#reaping.isPipeline;
        killStarted(this.#pid, this.#pgid, pipeline, !this.#reaping.mainReaped);
        this.#setReaped(this.#reaping.block());
      }
    } finally {
      this.#closePidfd();
      this.#closeDeadlineTimer();
      this.#stdio.closeAll();
      this.#epoll?.close();
    }
  }

  #finish(): Output {
    return outputOf({
      pid: this.#pid,
      plan: this.#plan,
      reaped: this.#reaped!,
      supervision: this.#sup,
      budget: this.#budget,
      stdout: this.#captures.stdout.bytes(),
      stderr: this.#captures.stderr.bytes(),
      durationMs: performance.now() - this.#started,
    });
  }

  #setReaped(reaped: Reaped | null): void {
    if (!reaped) return;
    this.#reaped = reaped;
    this.#killAt = Infinity;
    this.#closePidfd(); // an exited pidfd stays readable: keep it out of the loop
    this.#sup.reaped();
  }

  #readOutput(stream: "stdout" | "stderr"): void {
    const fd = this.#stdio[stream];
    if (fd < 0) return;
    const earlyExit = stream === "stdout" ? this.#plan.earlyExit : null;
    const result = readInto(fd, this.#captures[stream], this.#readSizes[stream]);
    if (result === "again") return;
    if (result === 0) return this.#closeOutput(stream);
    if (this.#budget.overflowed) this.#sup.overflowed();
    // The callback may keep what it is given: never the lent scratch buffer.
    offerEarlyExit(this.#sup, earlyExit, () => result.kept ?? result.chunk.slice());
  }

  #feedStdin(): void {
    const fd = this.#stdio.stdin;
    if (fd < 0) return;
    const result = this.#feeder!.writeOnce(fd);
    if (result === "done") this.#endInput();
    else if (result === "childClosed") this.closeStdin();
  }

  /** Every byte was fed: the child reads end of input (a pty's EOF character, then the close). */
  #endInput(): void {
    const fd = this.#stdio.stdin;
    try {
      if (this.#plan.pty) {
        writeSome(fd, ptyEndOfInput(fd, this.#feeder!.lastByte), "write child stdin");
      }
    } catch { /* the child is gone: it needs no end of input */ }
    this.closeStdin();
  }

  #checkDeadlines(now: number, deadline: number): void {
    if (!this.#sup.timedOut && now >= deadline) this.#sup.timeout();
    if (now >= this.#killAt) {
      this.#killAt = Infinity;
      this.#sup.graceOver();
    }
  }

  // SupervisionPort: what the supervisor asks of this driver.

  /** @internal */
  signal(name: StopSignal | "SIGCONT", group: boolean): void {
    const child = { pid: this.#pid, pgid: this.#pgid, reaped: this.#reaping.mainReaped };
    signalChild(child, name, group);
  }

  /** @internal */
  armGrace(ms: number): void {
    this.#killAt = performance.now() + ms;
  }

  /** @internal An early exit: a pty hangs up as a pipe breaks. */
  closeStdout(): void {
    this.#closeOutput("stdout");
    this.#stdio.releasePtyMaster();
  }

  /** @internal Takes what the pipes already hold without waiting for grandchildren. */
  cutPipes(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      while (this.#stdio[stream] >= 0) {
        const result = readInto(
          this.#stdio[stream],
          this.#captures[stream],
          this.#readSizes[stream],
        );
        if (result === "again" || result === 0) this.#closeOutput(stream);
      }
    }
  }

  /** @internal */
  closeStdin(): void {
    if (this.#stdio.stdin < 0) return;
    closeFd(this.#stdio.stdin);
    this.#stdio.stdin = -1;
  }

  #closeOutput(stream: "stdout" | "stderr"): void {
    if (this.#stdio[stream] < 0) return;
    closeFd(this.#stdio[stream]); // closing removes it from the epoll set
    this.#stdio[stream] = -1;
  }

  #closePidfd(): void {
    if (this.#pidfd >= 0) closeFd(this.#pidfd);
    this.#pidfd = -1;
  }
}

/** epoll_wait's timeout: whole ms, rounded up, and no more than an int holds. */
function msUntil(when: number, now: number): number {
  return Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(when - now)));
}

function minTimeout(a: number, b: number): number {
  return a < 0 ? b : Math.min(a, b);
}
