/**
 * The spawn-core suites run once per backend: fork and vfork must give the same results as
 * posix_spawn on every case.
 * @module
 */
import { type Output, runSync, type SpawnOptions } from "../mod.ts";
import type { Backend } from "../ffi/options/options.ts";

/** Every backend, in the order suites report them. */
export const BACKENDS: readonly Backend[] = ["posixSpawn", "fork", "vfork"];

/** `runSync` pinned to `backend`. */
export function runWith(backend: Backend): (options: SpawnOptions) => Output {
  return (options) => runSync({ backend, ...options });
}
