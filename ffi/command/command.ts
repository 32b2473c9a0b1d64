/**
 * `Command`: Deno.Command's API, defaults and errors, started by coreshift. A Deno program
 * switches with one import (or {@linkcode installCommand} for the whole process), and every
 * coreshift spawn option is there beside Deno's.
 * @module
 */
import { spawn } from "../run/spawn.ts";
import { runSync } from "../run/run_sync.ts";
import { ChildProcess, commandOutput } from "./child_process.ts";
import {
  type CommandMode,
  type CommandOptions,
  commandPath,
  type CommandPlan,
  toSpawnOptions,
} from "./command_options.ts";
import { asDenoError } from "./deno_errors.ts";

/**
 * Deno.Command on coreshift: the same constructor, `output()`, `outputSync()` and `spawn()`,
 * the same defaults (`output` pipes stdout and stderr, `spawn` inherits all three), the same
 * errors (`Deno.errors.NotFound` "Failed to spawn 'x'", a `TypeError` for a bad option), and
 * coreshift's options (`timeoutMs`, `fdPolicy`, `backend`, `confine`, …) on top.
 *
 * @example Switch with one import
 * ```ts
 * import { Command } from "@coreshift/core";
 * const { code, stdout } = await new Command("echo", { args: ["hello"] }).output();
 * console.log(code, new TextDecoder().decode(stdout)); // 0 "hello\n"
 * ```
 *
 * @example Deno's API with coreshift's supervision
 * ```ts
 * import { Command } from "@coreshift/core";
 * const out = new Command("sh", {
 *   args: ["-c", "sleep 10"],
 *   timeoutMs: 500,
 *   pgroup: "leader",
 *   fdPolicy: "closeFrom3",
 * }).outputSync();
 * console.log(out.signal); // "SIGKILL"
 * ```
 */
export class Command {
  readonly #program: string;
  readonly #options: CommandOptions | undefined;

  /** A command to run `command` (a name looked up in PATH, a path, or a `file:` URL). */
  constructor(command: string | URL, options?: CommandOptions) {
    this.#program = commandPath(command);
    this.#options = options;
  }

  /**
   * Runs the command and collects its output (stdin `"null"`, stdout and stderr `"piped"` by
   * default). Throws at once, as Deno does, when it cannot start.
   */
  output(): Promise<Deno.CommandOutput> {
    return this.#start("output").output();
  }

  /** {@linkcode Command.output}, blocking this thread until the child has exited. */
  outputSync(): Deno.CommandOutput {
    const plan = this.#plan("output");
    try {
      return commandOutput(runSync(plan.spawn), plan.piped);
    } catch (e) {
      throw asDenoError(e, this.#program);
    }
  }

  /** Starts the command with streams (all three `"inherit"` by default) and returns its handle. */
  spawn(): ChildProcess {
    return this.#start("spawn");
  }

  /** The child on the event loop; "piped" output is a capture for `output()`, streams else. */
  #start(mode: CommandMode): ChildProcess {
    const plan = this.#plan(mode);
    try {
      return new ChildProcess(spawn(plan.spawn), plan.piped, plan.signal);
    } catch (e) {
      throw asDenoError(e, this.#program);
    }
  }

  #plan(mode: CommandMode): CommandPlan {
    return toSpawnOptions(this.#program, this.#options, mode);
  }
}
