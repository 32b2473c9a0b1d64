/**
 * What an fd policy costs when this process holds many fds: spawn + wait of the no-op child
 * with `cloexecOnly`, `closeFrom3` (close_range in the helper where the platform allows it,
 * posix_spawn's addclosefrom where libc has it), an allowlist (close_range over the gaps
 * between kept fds), and `closeFrom3` as Android below API 33 runs it, without close_range: the
 * helper's child finds its open fds with ppoll over its fd table and closes each one (measured
 * here by pretending to be API 29).
 *
 * The extra fds are opened without close-on-exec, so `closeFrom3` really has them to close and
 * `cloexecOnly` really leaks them: the case the policies exist for.
 * @module
 */
import { runSync } from "../mod.ts";
import type { FdPolicy } from "../ffi/options/options.ts";
import { closeFd } from "../ffi/os/fds.ts";
import { hostPlatform, type Platform } from "../ffi/platform/platform.ts";
import { reap } from "../ffi/platform/process_control.ts";
import { hostPosixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { helperSpawn } from "../ffi/native/helper_spawn.ts";
import { planSpawn } from "../ffi/plan/plan.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { libc } from "../ffi/os/libc.ts";
import { cString } from "../ffi/os/cstrings.ts";
import { benchChildren } from "./children/locate.ts";
import { type BenchCase, interleave } from "./interleave.ts";
import type { LatencyStats } from "./stats.ts";
import { timed } from "./timing.ts";

/** The extra open fds each case is measured with. */
export const FD_COUNTS: readonly number[] = [10, 1000];

/** A case's name: backend, policy, extra fds. */
export function fdCaseName(backend: string, policy: string, fds: number): string {
  return `coreshift ${backend} ${policy}, +${fds} fds`;
}

/** The label of the case that runs `closeFrom3` as Android below API 33 does. */
export const SCAN_LABEL = "closeFrom3 API 29";

/**
 * A spawn as Android API 29 on this host's kernel makes it: close_range is gated off, so the
 * helper's child scans its fd table. Validates and plans per call, as runSync does with null
 * stdio, minus runSync's wrapper.
 */
function spawnAsApi29(noop: string): () => void {
  const api29: Platform = { ...hostPlatform(), os: "android", androidApi: 29 };
  return () => {
    const plan = planSpawn(
      validateOptions({ program: noop, backend: "vfork", fdPolicy: "closeFrom3" }),
      "vfork",
      hostPosixSpawnCaps(),
    );
    reap(helperSpawn(plan, ["null", "null", "null"], api29), true);
  };
}

/** Opens `n` fds on /dev/null without close-on-exec; returns them for {@linkcode closeAll}. */
function openInheritable(n: number): number[] {
  const c = libc();
  const path = cString(new TextEncoder().encode("/dev/null"));
  const fds: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const fd = c.symbols.open(path, c.abi.kernel.open.O_RDONLY, 0);
      if (fd < 0) throw new Error(`could not open fd ${i + 1} of ${n} (raise ulimit -n)`);
      fds.push(fd);
    }
  } catch (e) {
    closeAll(fds);
    throw e;
  }
  return fds;
}

function closeAll(fds: readonly number[]): void {
  fds.forEach(closeFd);
}

/** Runs the policy cases at each count in `counts`, `rounds` × `perRound` spawns, interleaved. */
export async function measureFdPolicies(
  rounds: number,
  perRound: number,
  counts: readonly number[] = FD_COUNTS,
  onRound: (done: number, total: number) => void = () => {},
): Promise<{ name: string; stats: LatencyStats }[]> {
  const { noop } = benchChildren();
  const nullIo = { stdout: "null", stderr: "null" } as const;
  const asApi29 = spawnAsApi29(noop);
  const results: { name: string; stats: LatencyStats }[] = [];
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c];
    const extra = openInheritable(count);
    try {
      const policies: [string, "vfork" | "posixSpawn", FdPolicy][] = [
        ["cloexecOnly", "vfork", "cloexecOnly"],
        ["closeFrom3", "vfork", "closeFrom3"],
        ["allowlist", "vfork", { allow: [extra[0]] }],
        ["closeFrom3", "posixSpawn", "closeFrom3"],
      ];
      const cases: BenchCase[] = policies.map(([label, backend, fdPolicy]) => ({
        name: fdCaseName(backend, label, count),
        run: (n: number) =>
          timed(n, () => runSync({ program: noop, backend, fdPolicy, ...nullIo })),
      }));
      cases.push({ name: fdCaseName("vfork", SCAN_LABEL, count), run: (n) => timed(n, asApi29) });
      const size = { rounds, perRound, warmUp: Math.min(perRound, 10) };
      const total = rounds * counts.length;
      results.push(...await interleave(cases, size, (done) => onRound(c * rounds + done, total)));
    } finally {
      closeAll(extra);
    }
  }
  return results;
}
