/**
 * What this libc's `posix_spawn` can do, decided from the platform and the symbols it exports.
 * Pure given its inputs, so tests can ask "what would bionic at API 29 allow?".
 * @module
 */
import { bionicHas } from "./bionic_symbols.ts";
import { libc } from "../os/libc.ts";
import { hostPlatform, type Platform, versionAtLeast } from "./platform.ts";

/** Features of `posix_spawn` on one platform. */
export interface PosixSpawnCaps {
  /** `posix_spawn` exists at all (bionic: API 28). */
  readonly available: boolean;
  /** `posix_spawn_file_actions_addchdir_np` (glibc 2.29, bionic API 34). */
  readonly addchdir: boolean;
  /** `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34, never bionic). */
  readonly addclosefrom: boolean;
  /** `POSIX_SPAWN_SETSID` (glibc 2.26, bionic API 28). */
  readonly setsid: boolean;
  /** `POSIX_SPAWN_USEVFORK` is needed to avoid a full fork (bionic only; glibc always vforks). */
  readonly wantsUseVfork: boolean;
}

/** Names of the optional libc symbols these capabilities depend on. */
export type SpawnSymbol =
  | "posix_spawn"
  | "posix_spawn_file_actions_addchdir_np"
  | "posix_spawn_file_actions_addclosefrom_np";

/** Capabilities on `platform` where `has(symbol)` says which optional symbols exist. */
export function posixSpawnCaps(
  platform: Platform,
  has: (symbol: SpawnSymbol) => boolean,
): PosixSpawnCaps {
  if (platform.libc === "bionic") {
    const api = platform.androidApi ?? 0;
    return {
      available: bionicHas("posix_spawn", api) && has("posix_spawn"),
      addchdir: bionicHas("posix_spawn_file_actions_addchdir_np", api) &&
        has("posix_spawn_file_actions_addchdir_np"),
      addclosefrom: bionicHas("posix_spawn_file_actions_addclosefrom_np", api),
      setsid: bionicHas("posix_spawn", api), // POSIX_SPAWN_SETSID came with posix_spawn
      wantsUseVfork: true,
    };
  }
  return {
    available: has("posix_spawn"),
    addchdir: has("posix_spawn_file_actions_addchdir_np"),
    addclosefrom: has("posix_spawn_file_actions_addclosefrom_np"),
    setsid: versionAtLeast(platform.libcVersion, "2.26"),
    wantsUseVfork: false,
  };
}

let cached: PosixSpawnCaps | undefined;

/** Capabilities of this process's libc. */
export function hostPosixSpawnCaps(): PosixSpawnCaps {
  const s = libc().symbols;
  return cached ??= posixSpawnCaps(hostPlatform(), (name) => s[name] !== null);
}
