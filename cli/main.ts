/**
 * The `coreshift` command.
 *
 *   coreshift run [options] -- program args…   run one program (exit codes as timeout(1))
 *   coreshift doctor [--json]                  what works here, and how to fix what does not
 *   coreshift fds [--pid N] [--json]           open fds with targets and close-on-exec flags
 *   coreshift bench [--quick]                  spawn latency and async throughput, one run
 *   coreshift demo                             spawn real children with each backend
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts run --timeout 2s --pgroup -- sh -c 'sleep 10'; echo $?   # 124
 * ```
 * @module
 */
import { runDemo } from "./demo.ts";
import { doctorCommand } from "./doctor.ts";
import { fdsCommand } from "./fds.ts";
import { runCommand } from "./run.ts";
import { printError } from "./style.ts";

/** `coreshift --help`. */
export const MAIN_HELP = `usage: coreshift <command> [options]

commands:
  run [options] -- program args…   run one program; exits with its status (124 timeout,
                                   125 spawn failed, 126 not executable, 127 not found, 128+N)
  doctor [--json]                  what works here, and the fix for what does not
  fds [--pid N] [--json]           open fds with their targets and close-on-exec flags
  bench [--quick]                  spawn latency and async throughput against Deno.Command
  demo                             spawn real children with each backend and report

Every command takes --help. NO_COLOR turns colour off.
`;

/** Runs the CLI with `args`; resolves to the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "run":
      return runCommand(rest);
    case "doctor":
      return doctorCommand(rest);
    case "fds":
      return fdsCommand(rest);
    case "bench": {
      const { benchCommand } = await import("./bench.ts");
      return benchCommand(rest);
    }
    case "demo":
      return runDemo();
    case undefined:
    case "help":
    case "-h":
    case "--help":
      console.log(MAIN_HELP);
      return command === undefined ? 2 : 0;
    default:
      printError("", `unknown command "${command}"; try: coreshift --help`);
      return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
