/**
 * `Child`: one running child on Deno's event loop. Its pipes are read and written from the fd
 * poller (one parked epoll wait serves every child), its exit comes from the exit watcher (a
 * pidfd, or SIGCHLD where pidfds are not allowed), and its timeout and kill grace are timerfd
 * deadlines in the same poller, cancelled when it finishes.
 * @module
 */
import { OutputBudget } from "../drain.ts";
import { CoreError, invalidArgument } from "../errors.ts";
import { type ExitStatus, signalNumber } from "../exit_status.ts";
import { libc } from "../libc.ts";
import { type Reaped, sendSignal } from "../process_control.ts";
import { AbortedError, type Output, OutputOverflowError } from "../spawn/output.ts";
import type { SpawnPlan } from "../spawn/plan.ts";
import type { Started } from "../spawn/start.ts";
import { ChunkCapture } from "./capture.ts";
import { afterDelay, type CancelDeadline } from "./deadline.ts";
import { settled } from "./fd_poller.ts";
import { PipeReader, PipeWriter } from "./pipes.ts";
import { collect, pipeReadable, pipeWritable } from "./streams.ts";

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

  readonly #plan: SpawnPlan;
  readonly #startedAt: number;
  readonly #group: boolean;
  readonly #exit: Promise<Reaped>;
  readonly #budget: OutputBudget;
  readonly #captures: Partial<Record<OutputStream, ChunkCapture>> = {};
  readonly #readers: Partial<Record<OutputStream, PipeReader>> = {};
  #writer: PipeWriter | null = null;
  #feedError: CoreError | null = null;
  #reaped: Reaped | null = null;
  #endedAt = 0;
  #timedOut = false;
  #earlyExited = false;
  #aborted = false;
  #cancelling = false;
  #paused = false;
  #cancelTimeout: CancelDeadline | undefined;
  #cancelGrace: CancelDeadline | undefined;
  readonly #onAbort = () => {
    this.#aborted = true;
    this.#beginCancel();
  };
  readonly #finished: Promise<void>;
  #markFinished!: () => void;
  #output: Promise<Output> | null = null;

  /** Use `spawn()`; this wires up a child that {@linkcode startChild} already started. */
  constructor(started: Started, exit: Promise<Reaped>) {
    const { pid, plan, stdio } = started;
    this.pid = pid;
    this.#plan = plan;
    this.#startedAt = started.startedAt;
    this.#group = plan.pgroup !== "none";
    this.#exit = exit;
    this.#budget = new OutputBudget(plan.maxOutput);
    this.#finished = new Promise((resolve) => this.#markFinished = resolve);

    if (stdio.stdin >= 0) {
      this.#writer = new PipeWriter(stdio.stdin, "write child stdin");
      if (plan.stdin === "piped") this.stdin = pipeWritable(this.#writer);
      else this.#feed(this.#writer, plan.stdin as Uint8Array);
    }
    for (const stream of ["stdout", "stderr"] as const) {
      const fd = stdio[stream];
      if (fd < 0) continue;
      if (plan[stream] === "piped") {
        const { stream: readable, reader } = pipeReadable(fd, `read child ${stream}`);
        this[stream] = readable;
        this.#readers[stream] = reader;
      } else {
        this.#captures[stream] = new ChunkCapture(this.#budget);
        this.#readers[stream] = this.#captureReader(stream, fd);
      }
    }
    stdio.stdin = stdio.stdout = stdio.stderr = -1; // the pipe reader and writer own them now

    if (plan.timeoutMs !== null) {
      // From the spawn call, as in runSync: the deadline is startedAt + timeoutMs.
      this.#cancelTimeout = afterDelay(
        this.#startedAt + plan.timeoutMs - performance.now(),
        () => {
          this.#timedOut = true;
          this.#beginCancel();
        },
      );
    }
    plan.signal?.addEventListener("abort", this.#onAbort, { once: true });

    this.status = exit.then((reaped) => reaped.status);
    this.status.catch(() => {}); // a wait4 failure is reported by output() too
    exit.then((reaped) => this.#onReaped(reaped), () => this.#finish());
  }

  /**
   * Waits for the child to finish and returns its exit status with everything captured. A
   * `"piped"` stream nobody has locked is read here; one you read yourself is empty in the result.
   *
   * @throws {OutputOverflowError} the child wrote more than `maxOutput` (its output is attached)
   * @throws {AbortedError} the spawn's AbortSignal fired (the output is attached)
   */
  output(): Promise<Output> {
    return this.#output ??= this.#collectOutput();
  }

  /**
   * Sends `signal` (default SIGTERM) to the child itself. Returns false once it has been reaped
   * or is gone.
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
    this.#requireGroup("killGroup");
    return sendSignal(this.pid, n, true);
  }

  /** Stops the child (its group, if it leads one) with SIGSTOP. */
  pause(): boolean {
    this.#paused = true;
    return this.#signalAll("SIGSTOP");
  }

  /** Continues a paused child (or group) with SIGCONT. */
  resume(): boolean {
    this.#paused = false;
    return this.#signalAll("SIGCONT");
  }

  /** Kills the child (and its group), reaps it and closes every pipe. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#reaped === null || this.#group) {
      this.#cancelling = true;
      this.#signalAll("SIGKILL");
    }
    await this.#exit.catch(() => {});
    for (const reader of Object.values(this.#readers)) reader.drainAndClose();
    this.#writer?.close();
    await this.#finished;
    await settled();
  }

  #captureReader(stream: OutputStream, fd: number): PipeReader {
    const capture = this.#captures[stream]!;
    const earlyExit = stream === "stdout" ? this.#plan.earlyExit : null;
    return new PipeReader(fd, {
      target: (want) => capture.target(want),
      data: (chunk) => {
        const kept = capture.add(chunk);
        // The callback may keep what it is given: never the reader's lent buffer.
        if (earlyExit && earlyExit(kept ?? chunk.slice())) this.#onEarlyExit();
      },
      end: () => this.#maybeFinish(),
    }, `read child ${stream}`);
  }

  #captureReaderOf(stream: OutputStream): PipeReader | undefined {
    return this.#captures[stream] ? this.#readers[stream] : undefined;
  }

  #onEarlyExit(): void {
    this.#earlyExited = true;
    this.#readers.stdout!.close();
    if (this.#plan.afterEarlyExit === "kill" && this.#reaped === null) this.#beginCancel();
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
    this.#writer?.close(); // nobody will read it now (as in runSync)
    if (this.#cancelling) this.#cutLoose();
    else {for (const stream of ["stdout", "stderr"] as const) {
        this.#captureReaderOf(stream)?.readNow();
      }}
    this.#maybeFinish();
  }

  /**
   * After a cancel, the leader is gone: kill what is left of its group (orphans otherwise) and
   * take what the pipes hold without waiting for EOF from survivors.
   */
  #cutLoose(): void {
    if (this.#group) sendSignal(this.pid, libc().abi.kernel.common.signals.SIGKILL, true);
    for (const reader of Object.values(this.#readers)) reader.drainAndClose();
  }

  /** Starts the cancel policy: SIGKILL now, or SIGTERM now and SIGKILL after the grace. */
  #beginCancel(): void {
    const first = !this.#cancelling;
    this.#cancelling = true;
    if (this.#reaped !== null) return this.#cutLoose(); // exited, but pipes held by survivors
    if (!first) return;
    if (this.#plan.cancel === "graceful") {
      this.#signalAll("SIGTERM");
      if (this.#paused) this.#signalAll("SIGCONT"); // a stopped child never sees SIGTERM
      this.#cancelGrace = afterDelay(this.#plan.killGraceMs, () => this.#signalAll("SIGKILL"));
    } else {
      this.#signalAll("SIGKILL");
    }
  }

  /** Signals the group when there is one (even after the leader exited), else the live child. */
  #signalAll(name: "SIGTERM" | "SIGKILL" | "SIGSTOP" | "SIGCONT"): boolean {
    const n = libc().abi.kernel.common.signals[name];
    if (this.#group) return sendSignal(this.pid, n, true);
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
    this.#cancelTimeout?.();
    this.#cancelGrace?.();
    this.#plan.signal?.removeEventListener("abort", this.#onAbort);
    settled().then(this.#markFinished); // the poller's parked wait must not outlive us
  }

  async #collectOutput(): Promise<Output> {
    const unread = (s: ReadableStream<Uint8Array> | null) => s && !s.locked ? collect(s) : null;
    const [stdout, stderr] = await Promise.all([unread(this.stdout), unread(this.stderr)]);
    const reaped = await this.#exit;
    await this.#finished;
    const empty = new Uint8Array(0);
    const output: Output = {
      pid: this.pid,
      status: reaped.status,
      success: reaped.status.kind === "exited" && reaped.status.code === 0,
      stdout: this.#captures.stdout?.bytes() ?? stdout ?? empty,
      stderr: this.#captures.stderr?.bytes() ?? stderr ?? empty,
      timedOut: this.#timedOut,
      stdoutEarlyExited: this.#earlyExited,
      durationMs: this.#endedAt - this.#startedAt,
      rusage: reaped.rusage,
    };
    if (this.#feedError) throw this.#feedError;
    if (this.#aborted) throw new AbortedError(output, this.#plan.signal?.reason);
    if (this.#budget.overflowed) {
      throw new OutputOverflowError(output, this.#plan.maxOutput, this.#budget.dropped);
    }
    return output;
  }

  #requireGroup(op: string): void {
    if (this.#group) return;
    throw invalidArgument(
      op,
      "the child does not lead a process group",
      'spawn it with pgroup: "leader" or "isolated"',
    );
  }
}

function signalArg(signal: string | number, op: string): number {
  const n = signalNumber(signal);
  if (n !== undefined) return n;
  throw invalidArgument(
    op,
    `unknown signal ${JSON.stringify(signal)}`,
    'use a name like "SIGTERM"',
  );
}
