/**
 * Where downloaded or self-built helpers live, and how files get there without a reader ever
 * seeing half of one.
 * @module
 */
import { join } from "node:path";

/**
 * The cache folder: `$CORESHIFT_CACHE`, else `$XDG_CACHE_HOME/coreshift`, else
 * `$HOME/.cache/coreshift` (on Termux HOME is inside the app's data dir, which is right: the
 * helper must be loadable by this app), else the OS temp dir.
 */
export function cacheDir(
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): string {
  const explicit = env("CORESHIFT_CACHE");
  if (explicit) return explicit;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "coreshift");
  const home = env("HOME");
  if (home) return join(home, ".cache", "coreshift");
  return join(env("TMPDIR") ?? "/tmp", "coreshift");
}

/** Writes `bytes` to `path` atomically: a temporary file in the same folder, then rename. */
export function writeAtomic(path: string, bytes: Uint8Array, mode = 0o755): void {
  const dir = path.slice(0, path.lastIndexOf("/"));
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.writeFileSync(tmp, bytes, { mode });
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never created */ }
    throw e;
  }
}
