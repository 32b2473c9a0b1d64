/**
 * `CoreError`: the one error type coreshift throws. Its `code` is stable (an errno name such as
 * `ENOENT`, or one of the named codes below) so callers can branch on it; `op` says which step
 * failed; the message says what to change.
 * @module
 */
import { LINUX_COMMON } from "../abi/linux_common.ts";

/**
 * Every code a {@linkcode CoreError} can carry: an errno name such as `"ENOENT"` (`"ERRNO_<n>"`
 * for a number outside the table), or one of these:
 * - `InvalidArgument`: an option has a value coreshift refuses (NUL in a string, a typo, …);
 * - `UnsupportedOption`: the option is valid but this backend or libc cannot do it;
 * - `UnsupportedPlatform`: the libc or architecture is not one coreshift supports;
 * - `OutputOverflow`: the child wrote more than `maxOutput`; `error.output` has what was kept;
 * - `NativeHelperUnavailable`: the native child-setup helper cannot be loaded here;
 * - `Aborted`: the AbortSignal fired; `error.output` has what the child wrote before it;
 * - `BackgroundLimit`: a `ProcessRegistry` refused: its background limit is reached;
 * - `UnknownHandle`: a registry handle that does not exist or was released;
 * - `RootUnavailable`: running as root was asked for, but no `su` was found, or it refused.
 */
export type CoreErrorCode =
  | "InvalidArgument"
  | "UnsupportedOption"
  | "UnsupportedPlatform"
  | "OutputOverflow"
  | "NativeHelperUnavailable"
  | "Aborted"
  | "BackgroundLimit"
  | "UnknownHandle"
  | "RootUnavailable"
  | `E${string}`;

/** An errno name such as `"ENOENT"`, or `"ERRNO_<n>"` for a number outside the table. */
export type ErrnoCode = `E${string}`;

/** Codes that are not an errno. */
export type NamedErrorCode = Exclude<CoreErrorCode, ErrnoCode>;

/** Extra fields a {@linkcode CoreError} may carry. */
export interface CoreErrorDetails {
  /** The OS error number, when the failure came from the kernel or libc. */
  errno?: number;
  /** Anything the caller may still want, e.g. the partial output of an overflowing child. */
  cause?: unknown;
  /** The file the failure was about: the program or the cwd (as CPython's `filename`). */
  path?: string;
}

/**
 * The error coreshift throws for bad input and failed system calls.
 *
 * @example Branch on the stable code
 * ```ts
 * import { CoreError, runSync } from "@coreshift/core";
 * try {
 *   runSync({ program: "no-such-program-here" });
 * } catch (e) {
 *   if (e instanceof CoreError && e.code === "ENOENT") console.log("not installed:", e.message);
 * }
 * ```
 */
export class CoreError extends Error {
  /** Stable machine-readable code: an errno name or a {@linkcode NamedErrorCode}. */
  readonly code: CoreErrorCode;
  /** The step that failed, e.g. `"posix_spawn"`, `"resolve program"`, `"validate env"`. */
  readonly op: string;
  /** The OS error number, when there is one. */
  readonly errno?: number;
  /** The program or directory the failure was about, when there is one. */
  readonly path?: string;

  /**
   * Builds an error; prefer {@linkcode invalidArgument} and {@linkcode sysError}. `details`
   * may carry the errno, a cause and the path the failure was about.
   */
  constructor(
    code: CoreErrorCode,
    op: string,
    message: string,
    details: { errno?: number; cause?: unknown; path?: string } = {},
  ) {
    super(`${op}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "CoreError";
    this.code = code;
    this.op = op;
    if (details.errno !== undefined) this.errno = details.errno;
    if (details.path !== undefined) this.path = details.path;
  }
}

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(LINUX_COMMON.errno).map(([name, n]) => [n, name]),
);

/** The symbolic name of an errno value (`2` → `"ENOENT"`), `"ERRNO_<n>"` when unknown. */
export function errnoName(errno: number): ErrnoCode {
  return (ERRNO_NAMES.get(errno) ?? `ERRNO_${errno}`) as ErrnoCode;
}

/**
 * A value as an error message shows it, whatever it is: strings quoted, `10n` for a bigint, a
 * symbol's description; never a throw (a BigInt, a cycle, a throwing getter or a symbol would
 * make `JSON.stringify` or a template string throw a TypeError in place of the CoreError).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "object":
      if (value === null) return "null";
      try {
        return JSON.stringify(value) ?? Object.prototype.toString.call(value);
      } catch {
        return Object.prototype.toString.call(value);
      }
    default:
      return String(value);
  }
}

/** A `CoreError` for an option value that cannot be used; `fix` says what to do instead. */
export function invalidArgument(op: string, problem: string, fix: string): CoreError {
  return new CoreError("InvalidArgument", op, `${problem}; ${fix}`);
}

/** A `CoreError` for a failed system call, coded by its errno. */
export function sysError(op: string, errno: number, hint = "", path?: string): CoreError {
  const what = `failed with ${errnoName(errno)} (errno ${errno})`;
  return new CoreError(errnoName(errno), op, hint ? `${what}; ${hint}` : what, { errno, path });
}

/**
 * A `CoreError` for an error thrown by Deno or `node:` APIs. They carry an errno name in `code`
 * (`"ENOENT"`, `"EPIPE"`), which is kept; anything else becomes `EIO`.
 */
export function fromRuntimeError(op: string, e: unknown): CoreError {
  if (e instanceof CoreError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const errno = typeof code === "string"
    ? (LINUX_COMMON.errno as Record<string, number>)[code]
    : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (errno !== undefined) return sysError(op, errno, message);
  return new CoreError("EIO", op, message, { cause: e });
}
