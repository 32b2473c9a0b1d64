/**
 * How quickly a cancel lands, sync (`runSync`) and async (`spawn`):
 *   - early exit: the `earlyExit` callback returns true → the child is killed, reaped and the
 *     output handed back;
 *   - timeout lateness: the deadline (spawn + `timeoutMs`) → the child killed, reaped and the
 *     output handed back (`durationMs − timeoutMs`).
 * The child says "ready" and then waits to be killed (bench/linger.c).
 * @module
 */
import { type Output, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { benchChildren } from "./children/locate.ts";
import { interleave } from "./interleave.ts";
import type { LatencyStats } from "./stats.ts";

/** The timeout the lateness cases set, in ms. */
export const TIMEOUT_MS = 5;

/** Case names, for the report's limits. */
export const CANCEL_CASES = {
  earlyExitSync: "coreshift runSync, early exit → reaped",
  earlyExitAsync: "coreshift spawn, early exit → reaped",
  timeoutSync: `coreshift runSync, ${TIMEOUT_MS} ms timeout lateness`,
  timeoutAsync: `coreshift spawn, ${TIMEOUT_MS} ms timeout lateness`,
} as const;

interface CancelCase {
  readonly name: string;
  /** One sample in µs. */
  readonly run: () => number | Promise<number>;
}

function expectTimedOut(out: Output): number {
  if (!out.timedOut) throw new Error("the lingering child was expected to time out");
  return (out.durationMs - TIMEOUT_MS) * 1000;
}

/** The cases, in report order. */
export function cancelCases(linger: readonly string[]): CancelCase[] {
  const [program, ...args] = linger;
  const base = { program, args, stderr: "null" } as const satisfies SpawnOptions;
  const earlyExit = (mark: { at: number }) => ({
    ...base,
    afterEarlyExit: "kill" as const,
    earlyExit: () => {
      mark.at = performance.now();
      return true;
    },
  });
  const sinceMark = (mark: { at: number }) => {
    if (!mark.at) throw new Error("the early-exit callback never fired");
    return (performance.now() - mark.at) * 1000;
  };
  const timeout = { ...base, stdout: "null", timeoutMs: TIMEOUT_MS } as const;
  return [
    {
      name: CANCEL_CASES.earlyExitSync,
      run: () => {
        const mark = { at: 0 };
        runSync(earlyExit(mark));
        return sinceMark(mark);
      },
    },
    {
      name: CANCEL_CASES.earlyExitAsync,
      run: async () => {
        const mark = { at: 0 };
        await spawn(earlyExit(mark)).output();
        return sinceMark(mark);
      },
    },
    { name: CANCEL_CASES.timeoutSync, run: () => expectTimedOut(runSync(timeout)) },
    {
      name: CANCEL_CASES.timeoutAsync,
      run: async () => expectTimedOut(await spawn(timeout).output()),
    },
  ];
}

/** Runs each case `rounds` × `perRound` times, interleaved round by round. */
export function measureCancelLatency(
  rounds: number,
  perRound: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<{ name: string; stats: LatencyStats }[]> {
  // Each case measures itself (from its callback or deadline to the reap), one sample a run.
  const cases = cancelCases(benchChildren().linger).map((c) => ({
    name: c.name,
    run: async (n: number) => {
      const samples: number[] = [];
      for (let k = 0; k < n; k++) samples.push(await c.run());
      return samples;
    },
  }));
  return interleave(cases, { rounds, perRound, warmUp: 1 }, onRound);
}
