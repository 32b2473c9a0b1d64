/**
 * C strings and `char *[]` arrays built in one off-heap block each, so a spawn hands libc
 * stable pointers without a copy per string.
 * @module
 */

const encoder = new TextEncoder();

/** A NUL-terminated C string in memory that V8 never moves. */
export function cString(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.length + 1));
  out.set(bytes);
  return out;
}

/** `string | Uint8Array` → raw bytes (UTF-8 for strings). */
export function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** A `NULL`-terminated `char *[]`; keep the object alive for as long as libc may read it. */
export interface CStringArray {
  /** The whole block: the pointers, then every string, NUL-terminated, back to back. */
  readonly block: Uint8Array<ArrayBuffer>;
  /** `count + 1` pointers into `block`, the last one 0 (a view of its start). */
  readonly pointers: BigUint64Array<ArrayBuffer>;
  /** `Deno.PointerObject` of `pointers`, to pass as a `pointer` argument. */
  readonly pointer: Deno.PointerValue;
}

/**
 * Packs `items` (none may contain NUL; callers validate) into one {@linkcode CStringArray}: a
 * single allocation, since each typed array costs Deno most of a microsecond and a spawn is
 * counted in tens of them.
 */
export function cStringArray(items: readonly Uint8Array[]): CStringArray {
  const head = (items.length + 1) * 8;
  let total = head;
  for (let i = 0; i < items.length; i++) total += items[i].length + 1;
  // new ArrayBuffer(): the backing store is off-heap and never moves, so raw addresses hold.
  const buffer = new ArrayBuffer(total);
  const block = new Uint8Array(buffer);
  const pointers = new BigUint64Array(buffer, 0, items.length + 1);
  const pointer = Deno.UnsafePointer.of(block);
  const base = BigInt(Deno.UnsafePointer.value(pointer));
  let offset = head;
  for (let i = 0; i < items.length; i++) {
    block.set(items[i], offset);
    pointers[i] = base + BigInt(offset);
    offset += items[i].length + 1;
  }
  return { block, pointers, pointer };
}

/** The bytes of the C string at `pointer` (up to its NUL, not included), copied. */
export function cStringAt(
  pointer: NonNullable<Deno.PointerValue>,
  strlen: (s: Deno.PointerValue) => number | bigint,
): Uint8Array {
  const length = Number(strlen(pointer));
  return new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(pointer, length)).slice();
}

/** The raw `KEY=VALUE` entries of this process's `environ`, bytes exactly as the kernel has them. */
export function readEnviron(
  environSymbol: Deno.PointerValue,
  strlen: (s: Deno.PointerValue) => number | bigint,
): Uint8Array[] {
  if (!environSymbol) return [];
  const array = new Deno.UnsafePointerView(environSymbol).getPointer();
  if (!array) return [];
  const view = new Deno.UnsafePointerView(array);
  const out: Uint8Array[] = [];
  for (let i = 0;; i++) {
    const entry = view.getPointer(i * 8);
    if (!entry) break;
    out.push(cStringAt(entry, strlen));
  }
  return out;
}
