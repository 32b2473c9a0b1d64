/**
 * The exit code of `coreshift run`, as timeout(1) and env(1) do it: the child's own code; 124 when
 * the timeout fired; 125 when the spawn failed; 126 found but not executable; 127 not found;
 * 128+N when the child died of signal N.
 * @module
 */
import { CoreError } from "../ffi/errors.ts";
import { shellExitCode } from "../ffi/exit_status.ts";
import type { Output } from "../ffi/spawn/output.ts";

/** Exit codes `coreshift run` uses for itself. */
export const EXIT = {
  timeout: 124,
  spawnFailed: 125,
  notExecutable: 126,
  notFound: 127,
} as const;

/** The code for a finished child. */
export function exitCodeForOutput(output: Pick<Output, "timedOut" | "status">): number {
  return output.timedOut ? EXIT.timeout : shellExitCode(output.status);
}

/** The code for an error thrown before or while spawning. */
export function exitCodeForError(error: unknown): number {
  if (!(error instanceof CoreError)) return EXIT.spawnFailed;
  // Only failures about the program itself; a bad cwd (chdir) is a spawn failure, as in env(1).
  const aboutProgram = error.op === "resolve program" || error.op.includes("exec") ||
    error.op === "posix_spawn";
  if (aboutProgram && error.code === "ENOENT") return EXIT.notFound;
  if (aboutProgram && (error.code === "EACCES" || error.code === "ENOEXEC")) {
    return EXIT.notExecutable;
  }
  return EXIT.spawnFailed;
}
