/**
 * What `coreshift run --json` prints, for a plain run and for `--as-root` alike.
 * @module
 */
import type { CoreError } from "../ffi/os/errors.ts";
import type { Output } from "../ffi/supervise/output.ts";

/** What `--json` prints. */
export interface RunJson {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly status: Output["status"] | null;
  readonly timedOut: boolean;
  readonly untilMatched: boolean;
  readonly durationMs: number | null;
  readonly rusage: Output["rusage"] | null;
  /** UTF-8 text (invalid sequences replaced). */
  readonly stdout: string;
  readonly stderr: string;
  /** The error's code and message when the spawn failed or output overflowed. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** What a run (or its failure) prints with `--json`. */
export function runJson(
  argv: readonly string[],
  exitCode: number,
  output:
    | Pick<Output, "status" | "timedOut" | "durationMs" | "stdout" | "stderr"> & {
      readonly rusage?: Output["rusage"] | null;
    }
    | null,
  error: CoreError | null,
  extra: { readonly untilMatched?: boolean } = {},
): RunJson {
  const text = new TextDecoder();
  return {
    argv,
    exitCode,
    status: output?.status ?? null,
    timedOut: output?.timedOut ?? false,
    untilMatched: extra.untilMatched ?? false,
    durationMs: output?.durationMs ?? null,
    rusage: output?.rusage ?? null,
    stdout: output ? text.decode(output.stdout) : "",
    stderr: output ? text.decode(output.stderr) : "",
    error: error ? { code: error.code, message: error.message } : null,
  };
}
