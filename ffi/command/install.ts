/**
 * One switch for the whole process: `Deno.Command` becomes coreshift's {@linkcode Command}, so
 * modules that only know Deno.Command (third-party ones included) spawn through coreshift.
 * `Deno.Command` is a configurable property of the `Deno` namespace, so this is a plain
 * property swap, undone by the function it returns. Not covered: `node:child_process` (its own
 * spawn path in Deno) and the long-removed `Deno.run`.
 * @module
 */
import { Command } from "./command.ts";

let installed: PropertyDescriptor | null = null;

/**
 * Replaces `Deno.Command` with coreshift's {@linkcode Command} for the whole process; returns
 * the undo. Calling it again while installed changes nothing (and returns the same undo).
 *
 * @example
 * ```ts
 * import { installCommand } from "@coreshift/core";
 * const restore = installCommand();
 * const out = await new Deno.Command("echo", { args: ["via coreshift"] }).output();
 * restore();
 * ```
 */
export function installCommand(): () => void {
  if (!installed) {
    installed = Object.getOwnPropertyDescriptor(Deno, "Command")!;
    Object.defineProperty(Deno, "Command", {
      configurable: true,
      enumerable: true,
      writable: true,
      value: Command,
    });
  }
  return uninstallCommand;
}

/** Puts Deno's own `Deno.Command` back (a no-op when coreshift's is not installed). */
function uninstallCommand(): void {
  if (!installed) return;
  Object.defineProperty(Deno, "Command", installed);
  installed = null;
}
