/**
 * Which backend runs a spawn: the one asked for, else vfork where the native helper loads
 * (fastest, and flat however large this process is), else posix_spawn.
 * @module
 */
import { nativeHelper, nativeHelperIfAvailable } from "../native/loader.ts";
import type { Backend } from "../options/options.ts";

/**
 * The backend for a spawn that asked for `requested` (null: no preference). `needsChildCode`:
 * the spawn asks for what only code in the child can do (`confine`, `dieWithParent`), so
 * without a preference it must have the helper, and says why when it cannot load.
 */
export function chooseBackend(requested: Backend | null, needsChildCode = false): Backend {
  if (requested === "fork" || requested === "vfork" || (requested === null && needsChildCode)) {
    nativeHelper(); // throws NativeHelperUnavailable with the fix when it cannot load
    return requested ?? "vfork";
  }
  if (requested === "posixSpawn") return requested;
  return nativeHelperIfAvailable() ? "vfork" : "posixSpawn";
}
