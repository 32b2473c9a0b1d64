/**
 * Joining byte chunks, shared by the capture, the stream collector and the helper loader.
 * @module
 */

/** Joins `chunks` into one plain `Uint8Array` of exactly their total length. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < chunks.length; i++) total += chunks[i].length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < chunks.length; i++) {
    out.set(chunks[i], offset);
    offset += chunks[i].length;
  }
  return out;
}
