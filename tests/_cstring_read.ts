/** Reading C strings back through their pointers, as libc would. */
import { type CStringArray, cStringAt } from "../ffi/os/cstrings.ts";
import { libc } from "../ffi/os/libc.ts";

/** The C string at `address`, up to its NUL. */
export function readCString(address: bigint): Uint8Array {
  return cStringAt(Deno.UnsafePointer.create(address)!, libc().symbols.strlen);
}

/** Every string of a `char *[]`, as text, up to its NULL. */
export function readCStringArray(array: CStringArray): string[] {
  const out: string[] = [];
  for (let i = 0; array.pointers[i] !== 0n; i++) {
    out.push(new TextDecoder().decode(readCString(array.pointers[i])));
  }
  return out;
}
