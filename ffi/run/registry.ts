/**
 * `ProcessRegistry`: long-running and background children behind opaque handles, with bounded
 * memory (a capacity with eviction, ring buffers for output) and group kills, so nothing it
 * started can outlive it.
 * @module
 */
import { CoreError, describeValue, invalidArgument } from "../os/errors.ts";
import type { ExitStatus } from "../os/exit_status.ts";
import type { SpawnOptions } from "../options/options.ts";
import type { Output } from "../supervise/output.ts";
import type { Child } from "./child.ts";
import { RingBuffer } from "./ring_buffer.ts";
import { spawn } from "./spawn.ts";
import { chooseBackend } from "../start/backend.ts";
import { reap } from "../platform/process_control.ts";
import { LINUX_COMMON } from "../abi/linux_common.ts";
import { refuseUnknownKeys } from "../options/value_checks.ts";
import { EXIT_SIGNALS, killAtExit } from "./registry_exit_hook.ts";
import { type EntryInfo, snapshotOf } from "./registry_snapshot.ts";

export type { EntryInfo };

/** An opaque registry handle. */
export type ProcessHandle = string & { readonly __processHandle: unique symbol };

/** Limits of a registry. */
export interface RegistryOptions {
  /** Entries kept at most (default 64); see {@linkcode ProcessRegistry.spawn} for eviction. */
  readonly capacity?: number;
  /** Running background entries at most (default 8). */
  readonly backgroundLimit?: number;
  /** Bytes kept per stream per entry (default 1 MiB); older bytes are dropped and counted. */
  readonly bufferBytes?: number;
  /** Ms between SIGINT and SIGKILL in {@linkcode ProcessRegistry.cancelByTag} (default 2000). */
  readonly cancelGraceMs?: number;
  /**
   * On SIGINT or SIGTERM to this process: kill and reap every running entry, then exit with
   * 128 + the signal's number (default false). Off by default because a listener replaces the
   * signal's default action for the whole program, and a program with its own handler expects
   * to decide. Entries with a death signal (`dieWithParent`, the default with fork and vfork)
   * die with this process anyway; this covers posixSpawn entries.
   */
  readonly killOnSignals?: boolean;
}

const REGISTRY_OPTION_KEYS: ReadonlySet<string> = new Set<keyof RegistryOptions>([
  "capacity",
  "backgroundLimit",
  "bufferBytes",
  "cancelGraceMs",
  "killOnSignals",
]);

/**
 * Entries kept, finished ones included so their output can still be read: a tool's recent
 * history, with memory bounded (two rings of {@linkcode DEFAULT_BUFFER_BYTES} each).
 */
const DEFAULT_CAPACITY = 64;
/** Background children running at once: as many as a phone has cores, so none starves. */
const DEFAULT_BACKGROUND = 8;
/** Bytes kept per stream: a screenful of logs many times over; older bytes are counted, not kept. */
const DEFAULT_BUFFER_BYTES = 1024 * 1024;
/**
 * SIGINT to SIGKILL in cancelByTag: what a shell or build tool needs to clean up after Ctrl-C,
 * short enough that a cancel still feels immediate.
 */
const DEFAULT_CANCEL_GRACE_MS = 2000;

interface Entry {
  readonly handle: ProcessHandle;
  readonly argv: readonly string[];
  readonly startedAtEpoch: number;
  /** How far `readNew` has read each stream: absolute byte offsets. */
  readonly readTo: { stdout: number; stderr: number };
  readonly seq: number;
  readonly child: Child;
  readonly tag: string | null;
  readonly background: boolean;
  readonly stdout: RingBuffer;
  readonly stderr: RingBuffer;
  readonly startedMono: number;
  /** Resolves when the child is reaped and its output read; never rejects. */
  readonly done: Promise<void>;
  status: EntryInfo["status"];
  exit: ExitStatus | null;
  endedAt: number;
  killedByUs: boolean;
}

/**
 * Owns many children at once. Every child leads its own process group, so kills reach its
 * descendants; output goes to per-stream ring buffers; disposing the registry kills and reaps
 * everything it started.
 *
 * @example A background server, cancelled by tag
 * ```ts
 * import { ProcessRegistry } from "@coreshift/core";
 * await using registry = new ProcessRegistry();
 * const h = registry.spawn({ program: "sh", args: ["-c", "echo up; sleep 60"] }, { tag: "call-7", background: true });
 * await registry.wait(h, 100);                    // still running after 100 ms
 * console.log(registry.poll(h).status);           // "running"
 * await registry.cancelByTag("call-7");           // SIGINT, then SIGKILL after the grace
 * console.log(registry.poll(h).status);           // "killed"
 * ```
 */
export class ProcessRegistry implements AsyncDisposable {
  readonly #capacity: number;
  readonly #backgroundLimit: number;
  readonly #bufferBytes: number;
  readonly #cancelGraceMs: number;
  readonly #killOnSignals: boolean;
  #listening = false;
  readonly #entries = new Map<ProcessHandle, Entry>();
  /** Evicted or released entries still being reaped. */
  readonly #leaving = new Set<Promise<void>>();
  #seq = 0;
  #disposed = false;

  /** Creates an empty registry with the given limits. */
  constructor(options: RegistryOptions = {}) {
    refuseUnknownKeys(options, REGISTRY_OPTION_KEYS, "registry options", "pass { capacity, … }");
    if (options.killOnSignals !== undefined && typeof options.killOnSignals !== "boolean") {
      throw invalidArgument("registry options", "killOnSignals must be true or false", "");
    }
    this.#killOnSignals = options.killOnSignals === true;
    this.#capacity = count(options.capacity, DEFAULT_CAPACITY, "capacity");
    this.#backgroundLimit = count(options.backgroundLimit, DEFAULT_BACKGROUND, "backgroundLimit");
    this.#bufferBytes = count(options.bufferBytes, DEFAULT_BUFFER_BYTES, "bufferBytes");
    this.#cancelGraceMs = count(options.cancelGraceMs, DEFAULT_CANCEL_GRACE_MS, "cancelGraceMs", 0);
  }

  /**
   * Starts a child and returns its handle. The child leads a new process group (unless
   * `pgroup: "isolated"` asks for a session); its stdout and stderr go to ring buffers unless
   * set to `"inherit"` or `"null"`. At capacity, the oldest finished entry is evicted; if none
   * has finished, the oldest running one is killed and evicted. `meta.tag` is a label for
   * {@linkcode ProcessRegistry.cancelByTag} (e.g. the id of the call that started it);
   * `meta.background` counts the entry against the background limit.
   *
   * @throws {CoreError} `BackgroundLimit` when `meta.background` and the limit is reached (nothing
   *   is started), and whatever `spawn()` throws.
   */
  spawn(
    options: SpawnOptions,
    meta: { readonly tag?: string; readonly background?: boolean } = {},
  ): ProcessHandle {
    if (this.#disposed) throw invalidArgument("registry spawn", "the registry is disposed", "");
    if (typeof options !== "object" || options === null) {
      throw invalidArgument("registry spawn", "options must be an object", "pass { program, … }");
    }
    validateMeta(meta);
    const background = meta.background === true;
    if (background) {
      const running = [...this.#entries.values()].filter((e) =>
        e.background && e.status === "running"
      );
      if (running.length >= this.#backgroundLimit) {
        throw new CoreError(
          "BackgroundLimit",
          "registry spawn",
          `${running.length} background children are running, the limit is ${this.#backgroundLimit}; ` +
            "wait for one, kill one, or raise backgroundLimit",
        );
      }
    }
    // Captured streams go to the rings; files, fds, inherit, null and 2>&1 stay as asked.
    const piped = <M>(mode: M) =>
      mode === undefined || mode === "capture" || mode === "piped" ? "piped" as const : mode;
    // A pty child leads a session whose terminal carries both streams: the stdout ring gets both.
    const pty = options.pty !== undefined;
    const child = spawn({
      ...options,
      pgroup: options.pgroup === "isolated" || typeof options.pgroup === "object"
        ? options.pgroup
        : pty
        ? "isolated"
        : "leader",
      stdout: piped(options.stdout),
      stderr: pty ? options.stderr : piped(options.stderr),
      // Entries die with this process wherever the backend can do it (not posixSpawn).
      dieWithParent: options.dieWithParent === undefined
        ? chooseBackend(options.backend ?? null) !== "posixSpawn"
        : options.dieWithParent,
    });
    killAtExit.add(this.#killNow);
    if (this.#killOnSignals && !this.#listening) {
      this.#listening = true;
      for (const [name, listener] of this.#exitListeners) Deno.addSignalListener(name, listener);
    }
    this.#evictForRoom();
    const seq = ++this.#seq;
    const handle = `ph-${child.pid.toString(16)}-${seq}` as ProcessHandle;
    const stdout = new RingBuffer(this.#bufferBytes);
    const stderr = new RingBuffer(this.#bufferBytes);
    const text = (v: string | Uint8Array) => typeof v === "string" ? v : decoder.decode(v);
    const entry: Entry = {
      handle,
      argv: [text(options.program), ...(options.args ?? []).map(text)],
      startedAtEpoch: Date.now(),
      readTo: { stdout: 0, stderr: 0 },
      seq,
      child,
      tag: meta.tag ?? null,
      background,
      stdout,
      stderr,
      startedMono: performance.now(),
      done: Promise.resolve(),
      status: "running",
      exit: null,
      endedAt: 0,
      killedByUs: false,
    };
    (entry as { done: Promise<void> }).done = this.#follow(entry);
    this.#entries.set(handle, entry);
    return handle;
  }

  /** A snapshot of the entry now. */
  poll(handle: ProcessHandle): EntryInfo {
    return snapshotOf(this.#get(handle));
  }

  /**
   * The output written since the last `readNew` of this entry (or since the start), like
   * tailing a log; `lost` counts bytes that were dropped from the ring before they were read.
   *
   * @example
   * ```ts
   * import { ProcessRegistry } from "@coreshift/core";
   * await using registry = new ProcessRegistry();
   * const h = registry.spawn({ program: "sh", args: ["-c", "echo a; sleep 0.1; echo b"] });
   * await registry.wait(h);
   * console.log(new TextDecoder().decode(registry.readNew(h).stdout)); // "a\nb\n"
   * console.log(registry.readNew(h).stdout.length); // 0: nothing new
   * ```
   */
  readNew(handle: ProcessHandle): {
    readonly stdout: Uint8Array;
    readonly stderr: Uint8Array;
    readonly stdoutLost: number;
    readonly stderrLost: number;
  } {
    const entry = this.#get(handle);
    const take = (stream: "stdout" | "stderr") => {
      const ring = entry[stream];
      const from = Math.max(entry.readTo[stream], ring.dropped);
      const lost = from - entry.readTo[stream];
      const bytes = ring.bytes().slice(from - ring.dropped);
      entry.readTo[stream] = ring.dropped + ring.size;
      return { bytes, lost };
    };
    const out = take("stdout");
    const err = take("stderr");
    return { stdout: out.bytes, stderr: err.bytes, stdoutLost: out.lost, stderrLost: err.lost };
  }

  /** Stops the entry's group with SIGSTOP; false once it has ended. */
  pause(handle: ProcessHandle): boolean {
    const entry = this.#get(handle);
    return entry.status === "running" && entry.child.pause();
  }

  /** Continues a paused entry's group with SIGCONT; false once it has ended. */
  resume(handle: ProcessHandle): boolean {
    const entry = this.#get(handle);
    return entry.status === "running" && entry.child.resume();
  }

  /**
   * Waits until the entry finishes, or `timeoutMs` passes (then its status is still
   * `"running"`). Without `timeoutMs`, waits as long as it takes.
   */
  async wait(handle: ProcessHandle, timeoutMs?: number): Promise<EntryInfo> {
    if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs >= 0)) {
      throw invalidArgument(
        "registry wait",
        `timeoutMs is ${describeValue(timeoutMs)}`,
        "use a number of ms ≥ 0, or omit it to wait as long as it takes",
      );
    }
    const entry = this.#get(handle);
    if (timeoutMs === undefined || timeoutMs === Infinity) {
      await entry.done;
      return snapshotOf(entry);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const elapsed = new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs));
    try {
      await Promise.race([entry.done, elapsed]);
    } finally {
      clearTimeout(timer);
    }
    return snapshotOf(entry);
  }

  /**
   * SIGKILLs the entry's group and waits until it is reaped, for at most `waitMs` (default
   * 5000, as the tracker it grew from). A snapshot whose status is still `"running"` says it
   * gave up waiting (a process in uninterruptible sleep outlives even SIGKILL for a while).
   */
  async kill(handle: ProcessHandle, waitMs = 5000): Promise<EntryInfo> {
    const entry = this.#get(handle);
    this.#signal(entry, "SIGKILL");
    return await this.wait(handle, waitMs);
  }

  /**
   * Forgets the entry; a running one is killed first and reaped in the background. Returns
   * false when the handle is unknown.
   */
  release(handle: ProcessHandle): boolean {
    const entry = this.#entries.get(handle);
    if (!entry) return false;
    this.#remove(entry);
    return true;
  }

  /** Snapshots of every entry, oldest first. */
  list(): EntryInfo[] {
    return [...this.#entries.values()].map(snapshotOf);
  }

  /**
   * Sends SIGINT to the group of every running entry tagged `tag` (or any of `tags`; `null`
   * matches untagged entries), then SIGKILL to those still running after the grace; resolves
   * when all are reaped, with how many were cancelled.
   */
  async cancelByTag(tag: string | null | readonly (string | null)[]): Promise<number> {
    const tags = Array.isArray(tag) ? tag : [tag];
    if (tags.some((t) => t !== null && typeof t !== "string")) {
      throw invalidArgument("cancelByTag", "tags are strings, or null for untagged", "");
    }
    return await this.#cancel((e) => tags.includes(e.tag));
  }

  /**
   * Cancels every running entry as `cancelByTag` does: SIGINT, then SIGKILL after the grace.
   * Disposing the registry instead SIGKILLs at once.
   */
  async cancelAll(): Promise<number> {
    return await this.#cancel(() => true);
  }

  async #cancel(match: (entry: Entry) => boolean): Promise<number> {
    const tagged = [...this.#entries.values()].filter((e) => match(e) && e.status === "running");
    for (const entry of tagged) {
      entry.killedByUs = true;
      entry.child.stop({ signal: "SIGINT", graceMs: this.#cancelGraceMs }).catch(() => {});
    }
    await Promise.all(tagged.map((e) => e.done));
    return tagged.length;
  }

  /** Kills every group the registry started, reaps them all, and forgets every entry. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#disposed = true;
    killAtExit.delete(this.#killNow);
    if (this.#listening) {
      this.#listening = false;
      for (const [name, listener] of this.#exitListeners) {
        Deno.removeSignalListener(name, listener);
      }
    }
    for (const entry of [...this.#entries.values()]) this.#remove(entry);
    await Promise.all(this.#leaving);
  }

  /** SIGINT or SIGTERM with `killOnSignals`: what the default action would do, children first. */
  readonly #exitListeners = EXIT_SIGNALS.map((name) =>
    [name, () => {
      this.#killNow();
      Deno.exit(128 + LINUX_COMMON.signals[name]);
    }] as const
  );

  /**
   * At process exit (the `unload` event: the end of the program or `Deno.exit`): SIGKILL every
   * running group and reap it, synchronously, since the event loop will not turn again.
   */
  readonly #killNow = () => {
    for (const entry of this.#entries.values()) {
      if (entry.status !== "running") continue;
      try {
        entry.child.killGroup("SIGKILL");
        reap(entry.child.pid, true);
      } catch { /* already reaped by the exit watcher */ }
    }
  };

  #get(handle: ProcessHandle): Entry {
    const entry = this.#entries.get(handle);
    if (entry) return entry;
    throw new CoreError(
      "UnknownHandle",
      "registry",
      `no entry ${describeValue(handle)}; it was released or evicted, or never existed`,
    );
  }

  #evictForRoom(): void {
    while (this.#entries.size >= this.#capacity) {
      const entries = [...this.#entries.values()]; // Map order is spawn order: oldest first
      this.#remove(entries.find((e) => e.status !== "running") ?? entries[0]);
    }
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.handle);
    if (entry.status !== "running") return;
    this.#signal(entry, "SIGKILL");
    const leaving = entry.done.then(() => {
      this.#leaving.delete(leaving);
    });
    this.#leaving.add(leaving);
  }

  #signal(entry: Entry, name: "SIGINT" | "SIGKILL"): void {
    if (entry.status !== "running") return;
    entry.killedByUs = true;
    entry.child.killGroup(name);
  }

  /**
   * Reads the entry's streams into its rings and records how it ended. Once the child is
   * reaped, what is left of its group is killed: an entry's descendants do not outlive it.
   */
  async #follow(entry: Entry): Promise<void> {
    const { child } = entry;
    const pump = async (stream: ReadableStream<Uint8Array> | null, ring: RingBuffer) => {
      if (stream) { for await (const chunk of stream) ring.push(chunk); }
    };
    const pumps = Promise.allSettled([
      pump(child.stdout, entry.stdout),
      pump(child.stderr, entry.stderr),
    ]);
    let output: Output | null = null;
    try {
      output = await child.output();
    } catch (e) {
      if (e instanceof CoreError && "output" in e) output = e.output as Output;
    }
    await child[Symbol.asyncDispose]().catch(() => {});
    await pumps;
    entry.endedAt = performance.now();
    entry.exit = output?.status ?? await child.status.catch(() => null);
    entry.status = entry.killedByUs ? "killed" : output?.timedOut ? "timedOut" : "exited";
  }
}

const decoder = new TextDecoder();

function count(value: unknown, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= min) return value;
  throw invalidArgument(`validate ${name}`, `${name} must be an integer ≥ ${min}`, "");
}

/** `meta` of {@linkcode ProcessRegistry.spawn}: `tag` a string, `background` a boolean. */
function validateMeta(meta: unknown): void {
  refuseUnknownKeys(
    meta,
    new Set(["tag", "background"]),
    "registry spawn",
    "meta is { tag?, background? }",
  );
  const { tag, background } = meta as { tag?: unknown; background?: unknown };
  if (tag !== undefined && typeof tag !== "string") {
    throw invalidArgument(
      "registry spawn",
      `meta.tag is ${describeValue(tag)}`,
      "give a string label",
    );
  }
  if (background !== undefined && typeof background !== "boolean") {
    throw invalidArgument(
      "registry spawn",
      `meta.background is ${describeValue(background)}`,
      "give true or false",
    );
  }
}
