/**
 * `Child`: one running child on Deno's event loop, the async driver of its
 * {@linkcode Supervision}. Its pipes are read and written from the fd poller (one parked epoll
 * wait serves every child), its exit comes from the exit watcher (a pidfd, or SIGCHLD where
 * pidfds are not allowed), and its timeout and kill grace are timerfd deadlines in the same
 * poller, cancelled when it finishes.
 * @module
 */
import { Capture, OutputBudget } from "../supervise/drain.ts";
import { CoreError, describeValue, invalidArgument } from "../os/errors.ts";
import { type ExitStatus, signalName, signalNumber } from "../os/exit_status.ts";
import { libc } from "../os/libc.ts";
import { ptyEndOfInput, setWindowSize } from "../os/pty.ts";
import { type Reaped, sendSignal } from "../platform/process_control.ts";
import { type Output, runStatus } from "../supervise/output.ts";
import { offerEarlyExit, outputOf, signalChild, supervisionFor } from "../supervise/driver.ts";
import type { SupervisePlan } from "../plan/plan.ts";
import { childGroup } from "../options/options.ts";
import type { Started } from "../start/start.ts";
import type { ChildFds } from "../plan/child_fds.ts";
import type { Supervision, SupervisionPort } from "../supervise/supervision.ts";
import { afterDelay, type CancelDeadline } from "../async/deadline.ts";
import { exitRefsChanged, reapNow } from "../async/exit_watcher.ts";
import { refsChanged, type RefScope, settled } from "../async/fd_poller.ts";
import { PipeReader, PipeWriter } from "../async/pipes.ts";
import { all, then } from "../async/promise_then.ts";
import { collect, pipeReadable, pipeWritable } from "../async/streams.ts";

type OutputStream = "stdout" | "stderr";

/**
 * A running child, returned by `spawn()`. Await `status` for its exit, or `output()` for its
 * exit with everything it wrote; `await using` kills and reaps it when the scope ends.
 *
 * @example Stream lines while the child runs
 * ```ts
 * import { spawn } from "@coreshift/core";
 * await using child = spawn({ program: "sh", args: ["-c", "echo a; echo b"], stdout: "piped" });
 * for await (const chunk of child.stdout!.pipeThrough(new TextDecoderStream())) console.log(chunk);
 * console.log(await child.status); // { kind: "exited", code: 0 }
 * ```
 */
export class Child implements AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** Resolves once the child has exited and been reaped, with how it ended. */
  readonly status: Promise<ExitStatus>;
  /** The child's stdin, when spawned with `stdin: "piped"`; `close()` gives it EOF. */
  readonly stdin: WritableStream<Uint8Array> | null = null;
  /** The child's stdout, when spawned with `stdout: "piped"`. */
  readonly stdout: ReadableStream<Uint8Array> | null = null;
  /** The child's stderr, when spawned with `stderr: "piped"`. */
  readonly stderr: ReadableStream<Uint8Array> | null = null;

  readonly #plan: SupervisePlan;
  readonly #startedMono: number;
  /** The process group stops go to, or null when the child stays in ours. */
  readonly #pgid: number | null;
  readonly #exit: Promise<Reaped>;
  readonly #budget: OutputBudget;
  readonly #sup: Supervision;
  #cancelGrace: CancelDeadline | undefined;
  readonly #captures: Partial<Record<OutputStream, Capture>> = {};
  readonly #readers: Partial<Record<OutputStream, PipeReader>> = {};
  #writer: PipeWriter | null = null;
  #feedError: CoreError | null = null;
  #reaped: Reaped | null = null;
  #endedAt = 0;
  #cancelTimeout: CancelDeadline | undefined;
  readonly #onAbort = () => this.#sup.abort();
  readonly #finished: Promise<void>;
  #markFinished!: () => void;
  #output: Promise<Output> | null = null;

  readonly #isPipeline: boolean;
  /** Whether this child's waits keep Deno's event loop alive (`ref`/`unref`). */
  readonly #scope: RefScope;
  /**
   * The spawn's fds once the pipe readers and writer took their ends: what is left is the pty's
   * held master (for `resize`), released at the reap or an early exit.
   */
  readonly #stdio: ChildFds;

  /**
   * Use `spawn()`; this wires up a child that {@linkcode startChild} already started. `exit`
   * settles once it is reaped (for a pipeline, once every stage is: `isPipeline`).
   */
  constructor(
    started: Started,
    exit: Promise<Reaped>,
    isPipeline = false,
    scope: RefScope = { ref: true },
  ) {
    this.#isPipeline = isPipeline;
    this.#scope = scope;
    const { pid, plan, stdio } = started;
    this.pid = pid;
    this.#stdio = stdio;
    this.#plan = plan;
    this.#startedMono = started.startedMono;
    this.#pgid = childGroup(plan.pgroup, pid);
    this.#exit = exit;
    this.#budget = new OutputBudget(plan.maxOutput);
    this.#finished = new Promise((resolve) => this.#markFinished = resolve);
    this.#sup = supervisionFor(plan, this.#pgid, this.#supervisionPort());

    try {
      if (stdio.stdin >= 0) {
        const fd = stdio.stdin;
        const endOfInput = plan.pty ? (last: number | null) => ptyEndOfInput(fd, last) : null;
        this.#writer = new PipeWriter(fd, "write child stdin", endOfInput, scope);
        stdio.stdin = -1;
        if (plan.stdin === "piped") this.stdin = pipeWritable(this.#writer);
        else this.#feed(this.#writer, plan.stdin as Uint8Array);
      }
      this.stdout = this.#readOutput("stdout", stdio, scope);
      this.stderr = this.#readOutput("stderr", stdio, scope);
      if (plan.timeoutMs !== null) {
        // From the spawn call, as in runSync: the deadline is startedMono + timeoutMs.
        this.#cancelTimeout = afterDelay(
          this.#startedMono + plan.timeoutMs - performance.now(),
          () => this.#sup.timeout(),
          scope,
        );
      }
    } catch (e) {
      this.#closePipes(); // the caller kills and reaps the child, and closes what stdio holds
      throw e;
    }
    plan.signal?.addEventListener("abort", this.#onAbort, { once: true });

    this.status = then(exit, (reaped) => reaped.status);
    then(this.status, () => {}, () => {}); // a wait4 failure is reported by output() too
    then(exit, (reaped) => this.#onReaped(reaped), () => this.#finish());
  }

  /**
   * Waits for the child to finish and returns its exit status with everything captured. A
   * `"piped"` stream nobody has locked is read here; one you read yourself is empty in the result.
   *
   * @throws {OutputOverflowError} the child wrote more than `maxOutput` (its output is attached)
   * @throws {AbortedError} the spawn's AbortSignal fired (the output is attached)
   * @throws what the `earlyExit` callback threw: the child was killed and reaped first
   */
  output(): Promise<Output> {
    return this.#output ??= this.#collectOutput();
  }

  /**
   * Sends `signal` (default SIGTERM) to the child itself. Returns false once it has been reaped
   * or is gone. Signal 0 sends nothing and tells whether the child can still be signalled.
   */
  kill(signal: string | number = "SIGTERM"): boolean {
    const n = signalArg(signal, "kill");
    return this.#reaped === null && sendSignal(this.pid, n, false);
  }

  /**
   * Sends `signal` (default SIGTERM) to the child's whole process group, grandchildren included,
   * even after the leader exited. Needs `pgroup: "leader"` or `"isolated"`.
   */
  killGroup(signal: string | number = "SIGTERM"): boolean {
    const n = signalArg(signal, "killGroup");
    return sendSignal(this.#requireGroup("killGroup"), n, true);
  }

  /**
   * Stops the child the way a timeout does: `signal` first (default SIGTERM, to the group when
   * it leads one), then SIGKILL after `graceMs` (default: the spawn's `killGraceMs`) unless it
   * was reaped; once reaped, what is left of its group is killed. Resolves with its status.
   *
   * @example
   * ```ts
   * import { spawn } from "@coreshift/core";
   * const child = spawn({ program: "sleep", args: ["10"], pgroup: "leader" });
   * console.log(await child.stop({ signal: "SIGINT", graceMs: 500 })); // { kind: "signaled", … }
   * ```
   */
  stop(options: { signal?: string | number; graceMs?: number } = {}): Promise<ExitStatus> {
    const n = signalArg(options.signal ?? "SIGTERM", "stop");
    const graceMs = options.graceMs ?? this.#plan.killGraceMs;
    if (typeof graceMs !== "number" || !(graceMs >= 0)) {
      throw invalidArgument("stop", "graceMs must be a number ≥ 0 (Infinity: never SIGKILL)", "");
    }
    if (n === 0) throw invalidArgument("stop", "signal 0 stops nothing", 'use e.g. "SIGTERM"');
    this.#sup.stop({ first: signalName(n), graceMs });
    return this.status;
  }

  /**
   * The child's status if it has exited, else null, without waiting: an exit not noticed yet
   * is reaped now. A pipeline's status comes once every stage is reaped (pipefail, as in
   * `output()`).
   *
   * @example
   * ```ts
   * import { spawn } from "@coreshift/core";
   * await using child = spawn({ program: "sleep", args: ["1"] });
   * console.log(child.tryWait()); // null: still running
   * ```
   */
  tryWait(): ExitStatus | null {
    const reaped = this.#reaped ?? (this.#isPipeline ? null : reapNow(this.pid));
    return reaped && runStatus(reaped);
  }

  /**
   * Changes the size of the child's pty (spawned with `pty`); the kernel tells its foreground
   * group with SIGWINCH. Returns false once the child has finished.
   *
   * @example
   * ```ts
   * import { spawn } from "@coreshift/core";
   * await using child = spawn({ program: "sh", pty: { columns: 80, rows: 24 }, stdin: "piped" });
   * child.resize(120, 40);
   * ```
   */
  resize(columns: number, rows: number): boolean {
    if (!this.#plan.pty) {
      throw invalidArgument(
        "resize",
        "the child has no pty",
        "spawn it with pty: { columns, rows }",
      );
    }
    const size = (v: number) => Number.isInteger(v) && v >= 1 && v <= 0xffff;
    if (!size(columns) || !size(rows)) {
      throw invalidArgument(
        "resize",
        `${describeValue(columns)} × ${describeValue(rows)}`,
        "give whole numbers from 1 to 65535",
      );
    }
    const master = this.#stdio.ptyMaster;
    if (master < 0) return false;
    setWindowSize(master, columns, rows);
    return true;
  }

  /**
   * Lets Deno exit while this child runs: its exit, its timers and pending reads of its
   * streams no longer keep the event loop alive. {@linkcode Child.ref} undoes it.
   *
   * @example
   * ```ts
   * import { spawn } from "@coreshift/core";
   * const daemon = spawn({ program: "sleep", args: ["60"], stdout: "null", pgroup: "isolated" });
   * daemon.unref(); // the program can end before it
   * ```
   */
  unref(): void {
    this.#setRef(false);
  }

  /** Makes the child keep Deno's event loop alive again (the default). */
  ref(): void {
    this.#setRef(true);
  }

  #setRef(ref: boolean): void {
    if (this.#scope.ref === ref) return;
    this.#scope.ref = ref;
    refsChanged();
    exitRefsChanged();
  }

  /** Stops the child (its group, if it leads one) with SIGSTOP. */
  pause(): boolean {
    this.#sup.paused = true;
    return this.#signalAll("SIGSTOP");
  }

  /** Continues a paused child (or group) with SIGCONT. */
  resume(): boolean {
    this.#sup.paused = false;
    return this.#signalAll("SIGCONT");
  }

  /** Kills the child (and its group), reaps it and closes every pipe. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#reaped === null || this.#pgid !== null) {
      this.#sup.stop({ first: "SIGKILL", graceMs: 0 });
    }
    await this.#exit.catch(() => {});
    this.#closePipes();
    await this.#finished;
    await settled();
  }

  /** What the supervisor asks of this driver. */
  #supervisionPort(): SupervisionPort {
    return {
      signal: (name, group) => {
        signalChild(
          { pid: this.pid, pgid: this.#pgid, reaped: this.#reaped !== null },
          name,
          group,
        );
      },
      armGrace: (ms) => {
        this.#cancelGrace = afterDelay(ms, () => this.#sup.graceOver(), this.#scope);
      },
      closeStdout: () => { // an early exit: a pty hangs up as a pipe breaks
        this.#readers.stdout?.close();
        this.#stdio.releasePtyMaster();
      },
      cutPipes: () => {
        for (const reader of Object.values(this.#readers)) reader.drainAndClose();
      },
      closeStdin: () => this.#writer?.close(),
    };
  }

  #closePipes(): void {
    for (const reader of Object.values(this.#readers)) reader.drainAndClose();
    this.#writer?.close();
  }

  /**
   * Takes `stdio`'s end of `stream` (if any): a capture, or the readable stream returned for a
   * `"piped"` one.
   */
  #readOutput(
    stream: OutputStream,
    stdio: ChildFds,
    scope: RefScope,
  ): ReadableStream<Uint8Array> | null {
    const fd = stdio[stream];
    if (fd < 0) return null;
    let readable = null;
    if (this.#plan[stream] === "piped") {
      const piped = pipeReadable(fd, `read child ${stream}`, scope);
      this.#readers[stream] = piped.reader;
      readable = piped.stream;
    } else {
      this.#captures[stream] = new Capture(this.#budget);
      this.#readers[stream] = this.#captureReader(stream, fd);
    }
    stdio[stream] = -1; // the pipe reader owns it now
    return readable;
  }

  #captureReader(stream: OutputStream, fd: number): PipeReader {
    const capture = this.#captures[stream]!;
    const earlyExit = stream === "stdout" ? this.#plan.earlyExit : null;
    return new PipeReader(
      fd,
      {
        target: (want) => capture.target(want),
        data: (chunk) => {
          const kept = capture.add(chunk);
          if (this.#budget.overflowed) this.#sup.overflowed();
          // The callback may keep what it is given: never the reader's lent buffer.
          offerEarlyExit(this.#sup, earlyExit, () => kept ?? chunk.slice());
        },
        end: () => this.#maybeFinish(),
      },
      `read child ${stream}`,
      this.#scope,
    );
  }

  async #feed(writer: PipeWriter, bytes: Uint8Array): Promise<void> {
    try {
      if (bytes.length > 0) await writer.write(bytes);
      await writer.end();
    } catch (e) {
      // EPIPE: the child closed stdin before reading it all, which is its right.
      if (!(e instanceof CoreError && e.code === "EPIPE")) this.#feedError = e as CoreError;
      writer.close();
    }
  }

  #onReaped(reaped: Reaped): void {
    this.#reaped = reaped;
    this.#cancelGrace?.();
    this.#sup.reaped();
    // The child's output is usually complete by now: take it without waiting for the poller.
    if (this.#captures.stdout) this.#readers.stdout?.readNow();
    if (this.#captures.stderr) this.#readers.stderr?.readNow();
    this.#maybeFinish();
  }

  /** Signals the group when there is one (even after the leader exited), else the live child. */
  #signalAll(name: "SIGSTOP" | "SIGCONT"): boolean {
    const n = libc().abi.kernel.common.signals[name];
    if (this.#pgid !== null) return sendSignal(this.#pgid, n, true);
    return this.#reaped === null && sendSignal(this.pid, n, false);
  }

  #maybeFinish(): void {
    if (this.#reaped === null) return;
    if (this.#captures.stdout && this.#readers.stdout!.open) return;
    if (this.#captures.stderr && this.#readers.stderr!.open) return;
    this.#finish();
  }

  #finish(): void {
    if (this.#endedAt !== 0) return;
    this.#endedAt = performance.now();
    this.#stdio.releasePtyMaster();
    this.#cancelTimeout?.();
    this.#cancelGrace?.();
    this.#plan.signal?.removeEventListener("abort", this.#onAbort);
    then(settled(), this.#markFinished); // the poller's parked wait must not outlive us
  }

  async #collectOutput(): Promise<Output> {
    const unread = (s: ReadableStream<Uint8Array> | null) => s && !s.locked ? collect(s) : null;
    const both = await all([unread(this.stdout), unread(this.stderr)]);
    const stdout = both[0], stderr = both[1];
    const reaped = await this.#exit;
    await this.#finished;
    const empty = new Uint8Array(0);
    return outputOf({
      pid: this.pid,
      plan: this.#plan,
      reaped,
      supervision: this.#sup,
      budget: this.#budget,
      stdout: this.#captures.stdout?.bytes() ?? stdout ?? empty,
      stderr: this.#captures.stderr?.bytes() ?? stderr ?? empty,
      durationMs: this.#endedAt - this.#startedMono,
      feedError: this.#feedError,
    });
  }

  #requireGroup(op: string): number {
    if (this.#pgid !== null) return this.#pgid;
    throw invalidArgument(
      op,
      "the child does not lead a process group",
      'spawn it with pgroup: "leader", "isolated" or { join: pgid }',
    );
  }
}

function signalArg(signal: string | number, op: string): number {
  const n = signalNumber(signal);
  if (n !== undefined) return n;
  throw invalidArgument(
    op,
    `unknown signal ${describeValue(signal)}`,
    'use a name like "SIGTERM"',
  );
}
