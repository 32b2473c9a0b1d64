/**
 * The first Android API level at which bionic declares each optional libc symbol coreshift
 * binds (24, the oldest level coreshift supports, stands for "24 or earlier"); null where bionic
 * never has it (glibc-only symbols). Capabilities that hang on a symbol read this table, and
 * tests/bionic_test.ts checks every entry against bionic's own headers at each level 24–35.
 * @module
 */

/** The oldest Android API level coreshift supports (Termux builds for it). */
export const OLDEST_API = 24;

/** First API level per optional symbol; null: never in bionic. */
export const BIONIC_FIRST_API = {
  posix_spawn: 28,
  posix_spawn_file_actions_init: 28,
  posix_spawn_file_actions_destroy: 28,
  posix_spawn_file_actions_addclose: 28,
  posix_spawn_file_actions_adddup2: 28,
  posix_spawn_file_actions_addopen: 28,
  posix_spawn_file_actions_addchdir_np: 34,
  posix_spawn_file_actions_addclosefrom_np: null,
  posix_spawnattr_init: 28,
  posix_spawnattr_destroy: 28,
  posix_spawnattr_setflags: 28,
  posix_spawnattr_setsigmask: 28,
  posix_spawnattr_setsigdefault: 28,
  posix_spawnattr_setpgroup: 28,
  timerfd_create: 24,
  timerfd_settime: 24,
  __errno_location: null,
  __errno: 24,
  gnu_get_libc_version: null,
  __system_property_find: 24,
  __system_property_read_callback: 26,
  __system_property_get: 24,
} as const satisfies Record<string, number | null>;

/** An optional libc symbol. */
export type OptionalSymbol = keyof typeof BIONIC_FIRST_API;

/** Whether bionic at `api` declares `symbol`. */
export function bionicHas(symbol: OptionalSymbol, api: number): boolean {
  const first: number | null = BIONIC_FIRST_API[symbol];
  return first !== null && api >= first;
}
