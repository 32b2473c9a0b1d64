/**
 * SHA-256 as the prebuilt files are checked by it: of bytes, or of a file (undefined when it
 * cannot be read). One definition for the helper's loader, the build task and the bench children.
 * @module
 */
import { createHash } from "node:crypto";

/** SHA-256 of `bytes`, as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** SHA-256 of the file at `path`, or undefined when it cannot be read. */
export function fileSha256Hex(path: string): string | undefined {
  try {
    return sha256Hex(Deno.readFileSync(path));
  } catch {
    return undefined;
  }
}
