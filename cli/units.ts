/**
 * Human units on the command line: durations as timeout(1) reads them (`5`, `.1`, `1e-3`, `1.5m`,
 * `2h`, `1d`, and `200ms`; a bare number is seconds) and sizes (`1MiB`, `64k`, a bare number is
 * bytes).
 * @module
 */
import { invalidArgument } from "../ffi/os/errors.ts";

const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  "": 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const SIZE_BYTES: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/**
 * A duration as timeout(1) reads one: a floating-point number (an exponent allowed, or `inf`)
 * with an optional unit `s` (the default), `m`, `h` or `d`, or our `ms`; `"2.5m"` → 150000.
 * Returns ms, not rounded (a tiny duration stays above 0); 0 is returned as 0 for the caller to
 * read as "none". Throws `InvalidArgument` naming the flag and what is wrong.
 */
export function parseDuration(text: string, flag: string): number {
  const m = /^\+?((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?)(ms|s|m|h|d)?$/i.exec(
    text.trim(),
  );
  if (!m) {
    const why = /^-/.test(text.trim()) ? "is negative" : "is not a duration";
    throw invalidArgument(
      flag,
      `"${text}" ${why}`,
      "write a number of seconds with an optional unit: 5, 0.5, 1e-3, 200ms, 1.5m, 2h or 1d (0: none)",
    );
  }
  const value = /^inf/i.test(m[1]) ? Infinity : Number(m[1]);
  return value * DURATION_MS[(m[2] ?? "").toLowerCase()];
}

/** `"1MiB"` → 1048576. Throws `InvalidArgument` naming the flag. */
export function parseSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_BYTES[m[2].toLowerCase()] : undefined;
  const bytes = unit === undefined ? NaN : Math.floor(Number(m![1]) * unit);
  if (!(bytes > 0)) {
    throw invalidArgument(flag, `"${text}" is not a size`, "write e.g. 1MiB, 64k or 4096");
  }
  return bytes;
}
