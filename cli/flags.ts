/**
 * Flag parsing shared by the commands: `node:util` parseArgs in strict mode, `-h/--help` on every
 * command, and a bad flag reported on stderr with where to look.
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { printError } from "./style.ts";

/** Parsed flag values, by long name. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** Exit code for a bad flag or argument. */
export const USAGE_ERROR = 2;

/**
 * Parses `args` for `command`. Returns the flag values, or an exit code when there is nothing
 * left to do: 0 after printing `help`, {@linkcode USAGE_ERROR} after reporting a bad flag.
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  help: string,
): FlagValues | number {
  let values: FlagValues;
  try {
    values = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
    }).values as FlagValues;
  } catch (e) {
    printError(command, `${(e as Error).message} (see coreshift ${command} --help)`);
    return USAGE_ERROR;
  }
  if (values.help) {
    console.log(help);
    return 0;
  }
  return values;
}
