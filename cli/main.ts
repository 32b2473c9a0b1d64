/**
 * The `coreshift` command. Until the full CLI lands it has one command, `demo`, which spawns
 * real children with every available backend and prints what happened.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts demo
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { runDemo } from "./demo.ts";

/** Runs the CLI with `args`; returns the process exit code. */
export function main(args: readonly string[]): number {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0] ?? "demo";
  if (values.help || command === "help") {
    console.log("usage: coreshift demo    spawn real children with each backend and report");
    return 0;
  }
  if (command === "demo") return runDemo();
  console.error(`coreshift: unknown command "${command}"; try: coreshift demo`);
  return 2;
}

if (import.meta.main) Deno.exit(main(Deno.args));
