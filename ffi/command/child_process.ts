/**
 * `ChildProcess`: Deno.ChildProcess's surface over a coreshift {@linkcode Child}: `status` that
 * never rejects, `{ success, code, signal }` with 128+N for a signal death, streams that throw
 * Deno's `TypeError` when not piped and read whole with `text()`, `bytes()`, `arrayBuffer()`,
 * `json()`, `kill()` as Deno's (SIGTERM by default, a `TypeError` after the exit), an abort that
 * sends SIGTERM, and `await using` that sends SIGTERM and waits.
 * @module
 */
import type { Child } from "../run/child.ts";
import { signalNumber } from "../os/exit_status.ts";
import type { ExitStatus } from "../os/exit_status.ts";
import type { Output } from "../supervise/output.ts";
import { then } from "../async/promise_then.ts";
import { notCollectable, notPiped } from "./deno_errors.ts";

/** What is piped, as `toSpawnOptions` planned it. */
interface Piped {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/**
 * A running child, as `Command.spawn()` returns it (Deno.ChildProcess's surface).
 *
 * @example
 * ```ts
 * import { Command } from "@coreshift/core";
 * const child = new Command("cat", { stdin: "piped", stdout: "piped" }).spawn();
 * const writer = child.stdin.getWriter();
 * await writer.write(new TextEncoder().encode("hi"));
 * await writer.close();
 * console.log(await child.stdout.text(), await child.status); // "hi" { success: true, … }
 * ```
 */
export class ChildProcess implements AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** Resolves once the child has exited; never rejects. */
  readonly status: Promise<Deno.CommandStatus>;
  readonly #child: Child;
  readonly #piped: Piped;
  readonly #stdout: Deno.SubprocessReadableStream | null;
  readonly #stderr: Deno.SubprocessReadableStream | null;
  #exited = false;
  readonly #signal: AbortSignal | null;
  readonly #onAbort = () => {
    if (!this.#exited) this.#child.kill("SIGTERM");
  };

  /** Use `Command.spawn()`. */
  constructor(child: Child, piped: Piped, signal: AbortSignal | null) {
    this.#child = child;
    this.#piped = piped;
    this.pid = child.pid;
    this.#stdout = child.stdout && withBodyMethods(child.stdout);
    this.#stderr = child.stderr && withBodyMethods(child.stderr);
    this.#signal = signal;
    this.status = then(
      child.status,
      (status) => {
        this.#exited = true;
        signal?.removeEventListener("abort", this.#onAbort);
        return commandStatus(status);
      },
      () => {
        this.#exited = true;
        return { success: false, code: 1, signal: null };
      },
    );
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** The child's stdin; a `TypeError` unless spawned with `stdin: "piped"`. */
  get stdin(): WritableStream<Uint8Array> {
    if (!this.#piped.stdin || !this.#child.stdin) throw notPiped("stdin");
    return this.#child.stdin;
  }

  /** The child's stdout; a `TypeError` unless spawned with `stdout: "piped"`. */
  get stdout(): Deno.SubprocessReadableStream {
    if (!this.#stdout) throw notPiped("stdout");
    return this.#stdout;
  }

  /** The child's stderr; a `TypeError` unless spawned with `stderr: "piped"`. */
  get stderr(): Deno.SubprocessReadableStream {
    if (!this.#stderr) throw notPiped("stderr");
    return this.#stderr;
  }

  /** Waits for the exit and returns the status with what the piped streams still held. */
  async output(): Promise<Deno.CommandOutput> {
    if (this.#stdout?.locked) throw notCollectable("stdout");
    if (this.#stderr?.locked) throw notCollectable("stderr");
    const out = await this.#child.output();
    return commandOutput(out, this.#piped);
  }

  /** Sends `signo` (default SIGTERM) to the child; a `TypeError` once it has exited. */
  kill(signo: Deno.Signal | number = "SIGTERM"): void {
    const n = signalNumber(signo);
    if (n === undefined) throw new TypeError(`Invalid signal: ${signo}`);
    if (this.#exited || !this.#child.kill(n)) {
      throw new TypeError("Child process has already terminated");
    }
  }

  /** The child's exit and streams keep Deno's event loop alive again. */
  ref(): void {
    this.#child.ref();
  }

  /** The child's exit and pending stream reads no longer keep Deno's event loop alive. */
  unref(): void {
    this.#child.unref();
  }

  /** Sends SIGTERM unless it has exited, waits for the exit, and closes every pipe. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exited) this.#child.kill("SIGTERM");
    await this.status;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    await this.#child[Symbol.asyncDispose]();
  }
}

/** `{ success, code, signal }` as Deno gives it: 128 + N and the name for a signal death. */
export function commandStatus(status: ExitStatus): Deno.CommandStatus {
  if (status.kind === "exited") {
    return { success: status.code === 0, code: status.code, signal: null };
  }
  return { success: false, code: 128 + status.signal, signal: status.signalName as Deno.Signal };
}

/** An `Output` as Deno.CommandOutput: a stream that was not piped throws on access. */
export function commandOutput(out: Output, piped: Piped): Deno.CommandOutput {
  const { stdout, stderr } = out;
  return {
    ...commandStatus(out.status),
    get stdout() {
      if (!piped.stdout) throw notPiped("stdout");
      return stdout as Uint8Array<ArrayBuffer>;
    },
    get stderr() {
      if (!piped.stderr) throw notPiped("stderr");
      return stderr as Uint8Array<ArrayBuffer>;
    },
  };
}

/** Adds the body readers Deno's subprocess streams have. */
function withBodyMethods(stream: ReadableStream<Uint8Array>): Deno.SubprocessReadableStream {
  const body = () => new Response(stream);
  return Object.assign(stream, {
    arrayBuffer: () => body().arrayBuffer(),
    bytes: () => body().bytes(),
    json: () => body().json(),
    text: () => body().text(),
  }) as unknown as Deno.SubprocessReadableStream;
}
