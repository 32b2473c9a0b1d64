/**
 * Writes the native helper's `struct cs_request` by field name, using the layout from the ABI
 * table (ffi/abi/helper_request.ts), so no offset is spelled out anywhere else.
 * @module
 */
import type { HelperRequestLayout } from "../abi/helper_request.ts";

/** A field of `struct cs_request`. */
export type RequestField = keyof HelperRequestLayout["offsets"];

/** One request, zero-filled: NULL pointers, zero counts. Keep what it points at alive. */
export class HelperRequest {
  /** The bytes handed to `coreshift_spawn`. */
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  readonly #layout: HelperRequestLayout;

  /** @param layout the request layout of this platform's ABI table */
  constructor(layout: HelperRequestLayout) {
    this.#layout = layout;
    this.bytes = new Uint8Array(layout.size);
    this.#view = new DataView(this.bytes.buffer);
  }

  /** Zero-fills every field again, for reuse. */
  clear(): this {
    this.bytes.fill(0);
    return this;
  }

  /** Stores a pointer (null for NULL). */
  pointer(field: RequestField, p: Deno.PointerValue): this {
    return this.u64(field, BigInt(Deno.UnsafePointer.value(p)));
  }

  /** Stores a 64-bit unsigned value. */
  u64(field: RequestField, value: bigint): this {
    this.#view.setBigUint64(this.#layout.offsets[field], value, true);
    return this;
  }

  /** Stores a 32-bit signed value (`index` for the `stdio` array). */
  i32(field: RequestField, value: number, index = 0): this {
    this.#view.setInt32(this.#layout.offsets[field] + 4 * index, value, true);
    return this;
  }

  /** Reads a 32-bit signed value the helper wrote back. */
  readI32(field: RequestField): number {
    return this.#view.getInt32(this.#layout.offsets[field], true);
  }
}
