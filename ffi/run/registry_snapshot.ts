/**
 * A registry entry's snapshot (`EntryInfo`): what `info` and `list` return, with times a
 * user reads (ms since the epoch) and a `toJSON` that renders the output as text.
 * @module
 */
import type { ExitStatus } from "../os/exit_status.ts";
import type { ProcessHandle } from "./registry.ts";
import type { RingBuffer } from "./ring_buffer.ts";

/**
 * A snapshot of one entry. `JSON.stringify` renders it with the output as UTF-8 text, so the
 * CLI (or a log) can print it as it is.
 */
export interface EntryInfo {
  /** The entry's handle. */
  readonly handle: ProcessHandle;
  /** The child's process id (also its process group id). */
  readonly pid: number;
  /** The command: program and arguments, as text. */
  readonly argv: readonly string[];
  /** When it started, in ms since the epoch. */
  readonly startedAt: number;
  /** When it ended (reaped), in ms since the epoch, or null while running. */
  readonly endedAt: number | null;
  /** The tag it was spawned with, or null. */
  readonly tag: string | null;
  /** Whether it counts against the background limit. */
  readonly background: boolean;
  /** Where it stands now. `killed`: we killed it (kill, cancelByTag, eviction, dispose). */
  readonly status: "running" | "exited" | "killed" | "timedOut";
  /** The exit status once reaped, else null. */
  readonly exit: ExitStatus | null;
  /** Ms since spawn (until the end, once finished). */
  readonly durationMs: number;
  /** The newest stdout bytes, up to the buffer size. */
  readonly stdout: Uint8Array;
  /** The newest stderr bytes, up to the buffer size. */
  readonly stderr: Uint8Array;
  /** Oldest stdout bytes dropped to keep within the buffer size. */
  readonly stdoutDropped: number;
  /** Oldest stderr bytes dropped to keep within the buffer size. */
  readonly stderrDropped: number;
}

const decoder = new TextDecoder();

/** What a snapshot is made from: an entry as the registry keeps it. */
export interface SnapshotSource {
  readonly handle: ProcessHandle;
  readonly child: { readonly pid: number };
  readonly argv: readonly string[];
  readonly startedAtEpoch: number;
  readonly startedMono: number;
  readonly endedAt: number;
  readonly tag: string | null;
  readonly background: boolean;
  readonly status: EntryInfo["status"];
  readonly exit: ExitStatus | null;
  readonly stdout: RingBuffer;
  readonly stderr: RingBuffer;
}

/** `entry` now, as an {@linkcode EntryInfo} whose JSON has the output as text. */
export function snapshotOf(entry: SnapshotSource): EntryInfo {
  const durationMs = (entry.endedAt || performance.now()) - entry.startedMono;
  const snapshot: EntryInfo = {
    handle: entry.handle,
    pid: entry.child.pid,
    argv: entry.argv,
    startedAt: entry.startedAtEpoch,
    endedAt: entry.endedAt ? entry.startedAtEpoch + durationMs : null,
    tag: entry.tag,
    background: entry.background,
    status: entry.status,
    exit: entry.exit,
    durationMs,
    stdout: entry.stdout.bytes(),
    stderr: entry.stderr.bytes(),
    stdoutDropped: entry.stdout.dropped,
    stderrDropped: entry.stderr.dropped,
  };
  // JSON-friendly as it is: the output as text (lossy for bytes that are not UTF-8).
  Object.defineProperty(snapshot, "toJSON", {
    enumerable: false,
    value: () => ({
      ...snapshot,
      stdout: decoder.decode(snapshot.stdout),
      stderr: decoder.decode(snapshot.stderr),
    }),
  });
  return snapshot;
}
