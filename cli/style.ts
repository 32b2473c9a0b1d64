/**
 * Terminal output for the CLI: colour only on a TTY and never with `NO_COLOR` set; errors go to
 * stderr with the fix in the message.
 * @module
 */
import { styleText } from "node:util";

type Style = "red" | "yellow" | "green" | "bold" | "dim";

/** Whether stderr/stdout may carry colour. */
export function colourAllowed(stream: "stdout" | "stderr"): boolean {
  if (Deno.env.get("NO_COLOR")) return false;
  return (stream === "stdout" ? Deno.stdout : Deno.stderr).isTerminal();
}

/** `text` in `style` where colour is allowed on `stream`. */
export function paint(style: Style, text: string, stream: "stdout" | "stderr" = "stdout"): string {
  return colourAllowed(stream) ? styleText(style, text, { validateStream: false }) : text;
}

/** Prints `coreshift <command>: message` on stderr. */
export function printError(command: string, message: string): void {
  console.error(`${paint("red", `coreshift ${command}:`, "stderr")} ${message}`);
}
