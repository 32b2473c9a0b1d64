/**
 * Human units on the command line: durations (`5s`, `200ms`, `1.5m`, a bare number is seconds as
 * in timeout(1)) and sizes (`1MiB`, `64k`, a bare number is bytes).
 * @module
 */
import { invalidArgument } from "../ffi/errors.ts";

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, "": 1000, m: 60_000, h: 3_600_000 };
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

/** `"5s"` → 5000. Throws `InvalidArgument` naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * DURATION_MS[m[2] ?? ""] : NaN;
  if (!(ms > 0)) {
    throw invalidArgument(flag, `"${text}" is not a duration`, "write e.g. 5s, 200ms, 1.5m or 2h");
  }
  return Math.round(ms);
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
