/**
 * coreshift: spawn and supervise child processes from Deno through FFI, on glibc Linux and
 * Android (bionic). `runSync` runs a program (through the native vfork helper where it loads,
 * else libc's `posix_spawn`), drains its pipes with epoll, and returns its output with an exact
 * status. `spawn` does the same without blocking, for many children on Deno's event loop, and
 * `ProcessRegistry` keeps long-running ones behind handles. Every failure is a typed
 * {@linkcode CoreError} naming the step and errno.
 *
 * Parsers, constants and test helpers are not part of this surface: they live in their own
 * files (e.g. `ffi/os/exit_status.ts`, `ffi/platform/confinement.ts`).
 *
 * @example
 * ```ts
 * import { runSync, spawn } from "@coreshift/core";
 * const out = runSync({ program: "echo", args: ["hello"] });
 * console.log(out.status, new TextDecoder().decode(out.stdout));
 * const outs = await Promise.all(["a", "b"].map((s) => spawn({ program: "echo", args: [s] }).output()));
 * console.log(outs.map((o) => o.stdout.length)); // [2, 2]
 * ```
 * @module
 */
export { runSync } from "./ffi/run/run_sync.ts";
export type { SpawnOptions } from "./ffi/options/options.ts";
export { AbortedError, type Output, OutputOverflowError } from "./ffi/supervise/output.ts";
export { spawn, spawnOffThread } from "./ffi/run/spawn.ts";
export { pipeline } from "./ffi/run/pipeline.ts";
export { pipelineSync } from "./ffi/run/pipeline_sync.ts";
export { Child } from "./ffi/run/child.ts";
export { Command } from "./ffi/command/command.ts";
export type { CommandOptions } from "./ffi/command/command_options.ts";
export type { ChildProcess } from "./ffi/command/child_process.ts";
export { installCommand } from "./ffi/command/install.ts";
export { chain, type ChainOptions, type ChainResult } from "./ffi/run/chain.ts";
export {
  type EntryInfo,
  type ProcessHandle,
  ProcessRegistry,
  type RegistryOptions,
} from "./ffi/run/registry.ts";
export { hasSeccompFilter, isNested } from "./ffi/platform/confinement.ts";
export { CoreError, type CoreErrorCode } from "./ffi/os/errors.ts";
export type { ExitStatus } from "./ffi/os/exit_status.ts";
export { hostPlatform, type Platform } from "./ffi/platform/platform.ts";
export { prepareNativeHelper } from "./ffi/native/loader.ts";
