/**
 * The exit code of `coreshift run`, as timeout(1) and env(1) do it: the child's own code; 124 when
 * the timeout fired (137 when SIGKILL was needed); 125 when the spawn failed; 126 found but not
 * executable; 127 not found; 128+N when the child died of signal N.
 * @module
 */
import { CoreError } from "../ffi/os/errors.ts";
import { shellExitCode } from "../ffi/os/exit_status.ts";
import type { Output } from "../ffi/supervise/output.ts";

/** Exit codes `coreshift run` uses for itself. */
export const EXIT = {
  timeout: 124,
  /** 128 + SIGKILL: the timeout fired and SIGKILL ended the child. */
  killedAfterTimeout: 137,
  spawnFailed: 125,
  notExecutable: 126,
  notFound: 127,
  /** 128 + SIGPIPE: our own stdout was a closed pipe, as a shell tool ends then. */
  brokenPipe: 141,
} as const;

/**
 * The code for a finished child, as timeout(1) gives it: on a timeout (`alarmed`: an outside
 * SIGALRM counts too) 124, or 137 when the child had to be killed with SIGKILL, so a script can
 * tell a hard kill from a polite one; with `preserveStatus`, the child's own status always.
 */
export function exitCodeForOutput(
  output: Pick<Output, "timedOut" | "status">,
  how: { readonly preserveStatus?: boolean; readonly alarmed?: boolean } = {},
): number {
  const own = shellExitCode(output.status);
  if (!(output.timedOut || how.alarmed) || how.preserveStatus) return own;
  const killed = output.status.kind === "signaled" && output.status.signalName === "SIGKILL";
  return killed ? EXIT.killedAfterTimeout : EXIT.timeout;
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
