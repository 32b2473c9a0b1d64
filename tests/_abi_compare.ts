/**
 * Comparing an ABI table with what a C compiler printed (tests/fixtures/abi_dump.c): the table
 * flattened to dotted keys, the dump parsed, and every difference, both ways.
 * @module
 */
import type { AbiTable } from "../ffi/abi/mod.ts";

/** Every number in the table, keyed by its dotted path (identity fields and the helper aside). */
export function flattenTable(table: AbiTable): Map<string, number> {
  const out = new Map<string, number>();
  const skip = new Set(["libc", "arch", "libraryName", "errnoSymbol", "helperRequest"]);
  const walk = (value: unknown, path: string) => {
    if (typeof value === "number") out.set(path, value);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (!path && skip.has(k)) continue;
        walk(v, path ? `${path}.${k}` : k);
      }
    }
  };
  walk(table, "");
  return out;
}

export function parseDump(text: string): Map<string, number> {
  return new Map(
    text.trim().split("\n").map((line) => {
      const [key, value] = line.split(" ");
      return [key, Number(value)];
    }),
  );
}

/** Differences between the table and the compiler, both ways, one line each. */
export function differences(table: Map<string, number>, c: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [key, value] of table) {
    if (!c.has(key)) out.push(`${key}: in the table (${value}) but not printed by abi_dump.c`);
    else if (c.get(key) !== value) out.push(`${key}: table ${value}, C ${c.get(key)}`);
  }
  for (const key of c.keys()) {
    if (!table.has(key)) out.push(`${key}: printed by C, not in the table`);
  }
  return out;
}
