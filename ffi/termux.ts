/**
 * Termux's layout: `$PREFIX` (`/data/data/com.termux/files/usr`) holds what `/usr` holds
 * elsewhere, `$PREFIX/tmp` replaces `/tmp`, and `/system/bin` holds Android's own tools but is
 * not on Termux's PATH. Everything here takes the environment as an argument, so tests can pass
 * a fake prefix.
 * @module
 */

/** Termux's directories. */
export interface TermuxDirs {
  /** `$PREFIX`: Termux's `/usr`. */
  readonly prefix: string;
  /** `$HOME`. */
  readonly home: string;
  /** Where temporary files go: `$TMPDIR`, else `$PREFIX/tmp` (Android has no `/tmp`). */
  readonly tmpdir: string;
}

/** Android's own programs; Termux's PATH leaves them out, so lookup adds them last. */
export const ANDROID_SYSTEM_BIN = "/system/bin";

/**
 * Termux's directories when `env` is a Termux environment, else null. Termux sets
 * `TERMUX_VERSION` and a `PREFIX` under the app's data directory; either marks it (forks of the
 * app use other package names, so both are accepted).
 *
 * @example
 * ```ts
 * import { termuxDirs } from "@coreshift/core/android";
 * const dirs = termuxDirs(Deno.env.toObject());
 * console.log(dirs ? `Termux at ${dirs.prefix}` : "not Termux");
 * ```
 */
export function termuxDirs(env: Readonly<Record<string, string | undefined>>): TermuxDirs | null {
  const prefix = env.PREFIX;
  if (!prefix?.startsWith("/")) return null;
  if (!env.TERMUX_VERSION && !prefix.includes("/com.termux/")) return null;
  const root = prefix.replace(/\/+$/, "");
  return {
    prefix: root,
    home: env.HOME ?? `${root.replace(/\/usr$/, "")}/home`,
    tmpdir: env.TMPDIR ?? `${root}/tmp`,
  };
}

/**
 * The directory for temporary files: `$TMPDIR`, else Termux's `$PREFIX/tmp`, else `/tmp`.
 *
 * @example
 * ```ts
 * import { tempDir } from "@coreshift/core/android";
 * console.log(tempDir(Deno.env.toObject()));
 * ```
 */
export function tempDir(env: Readonly<Record<string, string | undefined>>): string {
  return termuxDirs(env)?.tmpdir ?? env.TMPDIR ?? "/tmp";
}

/**
 * The search path for programs: `PATH`, then `/system/bin` on Termux when PATH lacks it. With no
 * PATH, Termux gets `$PREFIX/bin:/system/bin`.
 */
export function termuxSearchPath(pathVar: string | undefined, prefix: string): string {
  if (!pathVar) return `${prefix}/bin:${ANDROID_SYSTEM_BIN}`;
  const dirs = pathVar.split(":");
  return dirs.includes(ANDROID_SYSTEM_BIN) ? pathVar : `${pathVar}:${ANDROID_SYSTEM_BIN}`;
}
