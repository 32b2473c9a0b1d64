/**
 * The options about stopping the child: its AbortSignal, the early-exit callback, the first
 * signal of a graceful stop.
 * @module
 */
import { describeValue, invalidArgument } from "../os/errors.ts";
import { signalName, signalNumber } from "../os/exit_status.ts";
import { DEFAULTS } from "./options.ts";
import type { ValidOptions } from "./validate.ts";

/** The spawn's AbortSignal, or null. */
export function validateSignal(signal: unknown): AbortSignal | null {
  if (signal === undefined) return null;
  if (signal instanceof AbortSignal) return signal;
  throw invalidArgument(
    "validate signal",
    "signal must be an AbortSignal",
    "pass controller.signal",
  );
}

/** The early-exit callback, or null. */
export function validateCallback(cb: unknown): ValidOptions["earlyExit"] {
  if (cb === undefined) return null;
  if (typeof cb !== "function") {
    throw invalidArgument("validate earlyExit", "earlyExit must be a function", "");
  }
  return cb as (chunk: Uint8Array) => boolean;
}

/** A signal by name or number → its name; undefined → the default first signal. */
export function validateKillSignal(value: unknown): string {
  if (value === undefined) return DEFAULTS.killSignal;
  const n = typeof value === "string" || typeof value === "number"
    ? signalNumber(value)
    : undefined;
  if (n === undefined || n === 0) {
    throw invalidArgument(
      "validate killSignal",
      `killSignal is ${describeValue(value)}`,
      'use a signal name like "SIGTERM" or "SIGINT", or its number',
    );
  }
  return signalName(n);
}
