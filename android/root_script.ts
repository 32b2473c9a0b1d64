/**
 * The shell script every root command runs inside. It makes the facts a supervisor needs
 * readable from outside the `su` client, whatever the flavour:
 * - its pid and process group go to a status file first, so a timeout can kill the whole root
 *   group through a second `su` (our uid cannot signal root processes);
 * - it puts itself in a new session when it does not lead its own group (Magisk's daemon may
 *   start it inside one of its own), so that kill reaches only the command's processes;
 * - the command's exit status goes to the status file last, because Magisk reports signal
 *   deaths as exit 0.
 * @module
 */
import { CoreError } from "../ffi/os/errors.ts";
import { shellCommand, shellQuote } from "./shell_quote.ts";

/** What the root command sees besides its argv. */
export interface RootScriptOptions {
  /** Variables to export before the command runs. */
  readonly env?: Readonly<Record<string, string>>;
  /** Directory to run in. */
  readonly cwd?: string;
}

/** `$pg` := this shell's process group, read from /proc without forking. */
const READ_PGID = [
  "read -r st < /proc/$$/stat",
  "st=${st##*) }; pg=${st#* }; pg=${pg#* }; pg=${pg%% *}",
].join("\n");

/** The exit code the script uses when `cwd` cannot be entered (like a shell's failed `cd`). */
export const ROOT_CWD_FAILED = 1;

/**
 * The command line for `su` that runs `argv` as root and reports through `statusFile`:
 * `pid <pid> <pgid>` when it starts, `exit <code>` when the command ends.
 */
export function rootCommand(
  statusFile: string,
  argv: readonly string[],
  options: RootScriptOptions = {},
): string {
  const exports = Object.entries(options.env ?? {}).map(([key, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new CoreError(
        "InvalidArgument",
        "run as root",
        `environment name ${JSON.stringify(key)} is not a shell variable name; ` +
          "use letters, digits and _, not starting with a digit",
      );
    }
    return `export ${key}=${shellQuote(value)}`;
  });
  const inner = [
    "f=$1; shift",
    READ_PGID,
    `printf 'pid %s %s\\n' "$$" "$pg" > "$f"`,
    ...exports,
    ...(options.cwd === undefined ? [] : [
      `cd ${
        shellQuote(options.cwd)
      } || { printf 'exit ${ROOT_CWD_FAILED}\\n' >> "$f"; exit ${ROOT_CWD_FAILED}; }`,
    ]),
    '"$@"',
    "c=$?",
    `printf 'exit %s\\n' "$c" >> "$f"`,
    'exit "$c"',
  ].join("\n");
  const run = `sh -c ${shellQuote(inner)} coreshift-root ${shellCommand([statusFile, ...argv])}`;
  return [
    READ_PGID,
    `if [ "$pg" != "$$" ] && command -v setsid >/dev/null 2>&1; then exec setsid ${run}; fi`,
    `exec ${run}`,
  ].join("\n");
}

/** What the status file said. */
export interface RootReport {
  /** The root shell's pid, once it started. */
  readonly pid: number | null;
  /** Its process group (equal to `pid` when it leads its own group). */
  readonly pgid: number | null;
  /** The command's exit code as the root shell saw it (128+N for a death by signal N). */
  readonly exitCode: number | null;
}

/** Parses a status file's text. */
export function parseRootReport(text: string): RootReport {
  const started = /^pid (\d+) (\d+)$/m.exec(text);
  const ended = /^exit (\d+)$/m.exec(text);
  return {
    pid: started ? Number(started[1]) : null,
    pgid: started ? Number(started[2]) : null,
    exitCode: ended ? Number(ended[1]) : null,
  };
}
