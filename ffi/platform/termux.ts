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
 * import { tempDir } from "./termux.ts";
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

/** Android's linker for 64-bit programs, which can run a program given as its first argument. */
export const SYSTEM_LINKER_64 = "/system/bin/linker64";

/** What decides whether termux-exec's system linker exec is on. */
export interface LinkerExecFacts {
  /** The device's API level (the linker takes a program argument from API 29). */
  readonly androidApi: number | null;
  /** `$TERMUX_EXEC__SYSTEM_LINKER_EXEC__MODE`: `disable`, `enable` (default), `force`, `force_all`. */
  readonly mode: string | undefined;
  /** This process's effective uid. */
  readonly euid: number;
  /** The SELinux context (`$TERMUX__SE_PROCESS_CONTEXT`, else `/proc/self/attr/current`), or null. */
  readonly seContext: string | null;
}

/** Contexts that may exec app data files: old targetSdk apps, shell, run-as and root. */
const EXEMPT_CONTEXT_PREFIXES = [
  "u:r:untrusted_app_27:",
  "u:r:untrusted_app_25:",
  "u:r:runas_app:",
];
const EXEMPT_CONTEXTS = ["u:r:shell:s0", "u:r:magisk:s0", "u:r:ksu:s0", "u:r:su:s0"];
const ROOT_UID = 0;
const SHELL_UID = 2000;

/**
 * Whether programs under the app data directory must run through the system linker, by
 * termux-exec's rules: never before API 29 or with `disable`; `force_all` always; `force` unless
 * root or shell; by default only where the process may not exec its own files, that is an app
 * context with targetSdk ≥ 29 (not root, shell, run-as, or a context that cannot be read).
 */
export function systemLinkerExecOn(facts: LinkerExecFacts): boolean {
  const mode = facts.mode ?? "enable";
  if (mode === "disable" || (facts.androidApi ?? 0) < 29) return false;
  if (mode === "force_all") return true;
  const privileged = facts.euid === ROOT_UID || facts.euid === SHELL_UID;
  if (mode === "force" || privileged) return !privileged;
  const context = facts.seContext;
  if (context === null) return false;
  return !EXEMPT_CONTEXTS.includes(context) &&
    !EXEMPT_CONTEXT_PREFIXES.some((p) => context.startsWith(p));
}
