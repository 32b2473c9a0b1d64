/**
 * Which backend runs a spawn: the one asked for, else vfork where the native helper loads
 * (fastest, and flat however large this process is), else posix_spawn.
 * @module
 */
import { nativeHelper, nativeHelperIfAvailable } from "../native/loader.ts";
import type { Backend } from "./options.ts";

/** The backend for a spawn that asked for `requested` (null: no preference). */
export function chooseBackend(requested: Backend | null): Backend {
  if (requested === "fork" || requested === "vfork") {
    nativeHelper(); // throws NativeHelperUnavailable with the fix when it cannot load
    return requested;
  }
  if (requested === "posixSpawn") return requested;
  return nativeHelperIfAvailable() ? "vfork" : "posixSpawn";
}
