/**
 * POSIX shell quoting for commands that must pass through a shell, as `su -c` does: every
 * argument goes inside single quotes, where no character is special, and each `'` in it becomes
 * `'\''` (close, escaped quote, reopen). Nothing is left unquoted, so `$()`, backticks, globs,
 * newlines and empty arguments reach the program exactly as given.
 * @module
 */
import { CoreError } from "../ffi/os/errors.ts";

/**
 * One argument, quoted for any POSIX shell (dash, mksh, bash, toybox sh).
 *
 * @example
 * ```ts
 * import { shellQuote } from "@coreshift/core/android";
 * console.log(shellQuote("it's $HOME")); // 'it'\''s $HOME'
 * ```
 */
export function shellQuote(arg: string): string {
  if (arg.includes("\0")) {
    throw new CoreError(
      "InvalidArgument",
      "quote for shell",
      `argument ${JSON.stringify(arg)} contains a NUL byte, which no exec argument can carry`,
    );
  }
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * A command line that runs `argv` exactly: each word quoted, joined by spaces.
 *
 * @example
 * ```ts
 * import { shellCommand } from "@coreshift/core/android";
 * console.log(shellCommand(["printf", "%s\n", "a b", ""])); // 'printf' '%s\n' 'a b' ''
 * ```
 */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
