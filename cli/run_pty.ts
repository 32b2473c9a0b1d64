/**
 * `coreshift run --pty`: the program in a pseudo-terminal the size of this one, with this
 * terminal in raw mode so every key reaches the program (^C included: it is the program's to
 * handle), the program's window following this one's (SIGWINCH), and this terminal restored on
 * every way out: the program's end, a timeout, or SIGINT/SIGTERM/SIGHUP sent to coreshift.
 * @module
 */
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { spawn } from "../ffi/run/spawn.ts";
import type { SpawnOptions } from "../ffi/options/options.ts";
import { exitCodeForOutput } from "./exit_codes.ts";

const DEFAULT_SIZE = { columns: 80, rows: 24 };
const EXIT_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** This terminal's size; 80×24 when it has none, or reports 0 (some serial consoles). */
function terminalSize(): { columns: number; rows: number } {
  try {
    const size = Deno.stdout.isTerminal() ? Deno.consoleSize() : DEFAULT_SIZE;
    return size.columns > 0 && size.rows > 0 ? size : DEFAULT_SIZE;
  } catch {
    return DEFAULT_SIZE;
  }
}

/** Runs `options` in a pty wired to this terminal; resolves to the exit code. */
export async function runInPty(options: SpawnOptions, preserveStatus = false): Promise<number> {
  const raw = Deno.stdin.isTerminal();
  const child = spawn({
    ...options,
    pty: terminalSize(),
    stdin: "piped",
    stdout: "piped",
    stderr: undefined,
    pgroup: undefined,
  });
  const restore = () => {
    if (raw) Deno.stdin.setRaw(false);
  };
  const onResize = () => {
    const { columns, rows } = terminalSize();
    child.resize(columns, rows);
  };
  const exitListeners = EXIT_SIGNALS.map((name) =>
    [name, () => {
      restore();
      child.killGroup("SIGKILL");
      Deno.exit(128 + LINUX_COMMON.signals[name]);
    }] as const
  );
  try {
    if (raw) Deno.stdin.setRaw(true);
    Deno.addSignalListener("SIGWINCH", onResize);
    for (const [name, listener] of exitListeners) Deno.addSignalListener(name, listener);
    const input = pumpInput(child.stdin!);
    await child.stdout!.pipeTo(Deno.stdout.writable, { preventClose: true });
    const output = await child.output();
    input.stop();
    return exitCodeForOutput(output, { preserveStatus });
  } finally {
    restore();
    Deno.removeSignalListener("SIGWINCH", onResize);
    for (const [name, listener] of exitListeners) Deno.removeSignalListener(name, listener);
  }
}

/** Copies this terminal's input into the pty until stopped (the program's end). */
function pumpInput(target: WritableStream<Uint8Array>): { stop(): void } {
  const reader = Deno.stdin.readable.getReader();
  const writer = target.getWriter();
  let stopped = false;
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || stopped) break;
        await writer.write(value);
      }
    } catch { /* the program ended: its pty is gone */ }
  })();
  return {
    stop() {
      stopped = true;
      reader.cancel().catch(() => {});
      writer.close().catch(() => {});
    },
  };
}
