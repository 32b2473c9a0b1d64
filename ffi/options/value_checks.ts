/**
 * The checks every option group shares: a C string without NUL, a list, one of a set, a flag, a
 * byte cap, a duration, an object with no unknown keys, a path or "auto". Each refusal is a
 * `CoreError` that names the option and what to pass instead.
 * @module
 */
import { toBytes } from "../os/cstrings.ts";
import { describeValue, invalidArgument } from "../os/errors.ts";

/** A string or bytes as a C string: NUL refused. */
export function cBytes(value: unknown, name: string): Uint8Array {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw invalidArgument(`validate ${name}`, `${name} must be a string or Uint8Array`, "");
  }
  const bytes = toBytes(value);
  if (bytes.includes(0)) {
    throw invalidArgument(
      `validate ${name}`,
      `${name} contains a NUL byte`,
      "C strings end at NUL; remove it",
    );
  }
  return bytes;
}

/** An array, or empty when omitted. */
export function list(value: unknown, name: string): readonly (string | Uint8Array)[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw invalidArgument(`validate ${name}`, `${name} must be an array`, "pass [] or omit it");
  }
  return value;
}

/** The largest fd number the kernel can hand out (an int). */
export const MAX_FD = 2 ** 31 - 1;

/** Whether `value` is an object literal (or made with a null prototype), not a Map, array or class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** One of `allowed`, or `fallback` when omitted. */
export function oneOf(
  value: unknown,
  allowed: readonly string[],
  name: string,
  fallback: string,
): string {
  if (value === undefined) return fallback;
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${describeValue(value)}`,
    `use one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
  );
}

/** A boolean, or `fallback` when omitted. */
export function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  throw invalidArgument(`validate ${name}`, `${name} must be true or false`, "");
}

/** A cap in bytes: a whole number ≥ 0 (0 keeps nothing: any output overflows), or Infinity. */
export function byteCap(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${describeValue(value)}`,
    "use a whole number of bytes ≥ 0, or Infinity for no cap",
  );
}

/** A timeout in ms; 0 and Infinity mean none, as in Node's child_process and execa. */
export function optionalTimeout(value: unknown, name: string): number | null {
  if (value === undefined || value === 0 || value === Infinity) return null;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${describeValue(value)}`,
    "use a number of ms > 0 (0 or Infinity: no timeout)",
  );
}

/** A finite duration in ms, 0 or more. */
export function nonNegativeMs(value: unknown, name: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${describeValue(value)}`,
    "use a finite number of ms ≥ 0",
  );
}

/**
 * Throws unless `options` is an object whose every key is in `known`: a misspelt option is
 * an error naming the ones there are, never silently ignored. `example` is the hint for a
 * non-object.
 */
export function refuseUnknownKeys(
  options: unknown,
  known: ReadonlySet<string>,
  op: string,
  example: string,
): asserts options is object {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(op, "options must be an object", example);
  }
  const keys = Object.keys(options);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!known.has(key)) {
      throw invalidArgument(op, `unknown option "${key}"`, `use one of: ${[...known].join(", ")}`);
    }
  }
}

/** An option that is detected when omitted ("auto"), off when null, else an absolute path. */
export function pathOrOff(value: unknown, name: string, hint: string): string | null | "auto" {
  if (value === undefined) return "auto";
  if (value === null) return null;
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\0")) {
    throw invalidArgument(
      `validate ${name}`,
      `${name} must be an absolute path or null, got ${describeValue(value)}`,
      hint,
    );
  }
  return value;
}
