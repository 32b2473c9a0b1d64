/**
 * Landlock filesystem rules for one child, built in this process: the kernel's best ABI version,
 * a ruleset that handles every filesystem right that version knows, and one rule per path
 * (read-only: execute, read files, list directories; read-write: everything). The ruleset fd
 * goes to the helper, whose child restricts itself with it just before exec; everything not
 * under a rule is denied. Most Android kernels lack Landlock, and no Android app filter allows
 * it (ffi/platform/syscall_gate.ts).
 * @module
 */
import { LINUX_COMMON } from "../abi/linux_common.ts";
import { cString } from "../os/cstrings.ts";
import { CoreError, sysError } from "../os/errors.ts";
import { closeFd, directoryErrno } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import type { Platform } from "../platform/platform.ts";
import { syscallAllowed } from "../platform/syscall_gate.ts";
import { SYSCALLS_AARCH64 } from "../abi/syscalls_aarch64.ts";
import { SYSCALLS_X86_64 } from "../abi/syscalls_x86_64.ts";

/** Paths the child may read (and execute), and paths it may also write. */
export interface LandlockRules {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

const FS = LINUX_COMMON.landlock.fsAccess;

/** The rights each Landlock ABI version added. */
const RIGHTS_BY_ABI: readonly number[] = [
  0,
  0x1fff, // v1: EXECUTE … MAKE_SYM
  FS.LANDLOCK_ACCESS_FS_REFER, // v2
  FS.LANDLOCK_ACCESS_FS_TRUNCATE, // v3
  0, // v4: network rules only
  FS.LANDLOCK_ACCESS_FS_IOCTL_DEV, // v5
];

const READ_RIGHTS = FS.LANDLOCK_ACCESS_FS_EXECUTE | FS.LANDLOCK_ACCESS_FS_READ_FILE |
  FS.LANDLOCK_ACCESS_FS_READ_DIR;
/** Rights that apply to a file (the others only to directories). */
const FILE_RIGHTS = FS.LANDLOCK_ACCESS_FS_EXECUTE | FS.LANDLOCK_ACCESS_FS_WRITE_FILE |
  FS.LANDLOCK_ACCESS_FS_READ_FILE | FS.LANDLOCK_ACCESS_FS_TRUNCATE |
  FS.LANDLOCK_ACCESS_FS_IOCTL_DEV;

let abiCache: number | null | undefined;

/** The Landlock ABI version this kernel offers, or null without Landlock (or not allowed). */
export function landlockAbi(platform: Platform): number | null {
  if (abiCache !== undefined) return abiCache;
  if (!syscallAllowed("landlock_create_ruleset", platform)) return abiCache = null;
  const nr = syscallTable(platform).landlock_create_ruleset;
  const { LANDLOCK_CREATE_RULESET_VERSION } = LINUX_COMMON.landlock;
  const v = Number(
    libc().symbols.syscall_3(BigInt(nr), 0n, 0n, BigInt(LANDLOCK_CREATE_RULESET_VERSION)),
  );
  return abiCache = v > 0 ? v : null;
}

/** Every filesystem right the kernel's Landlock ABI `abi` can restrict. */
export function handledRights(abi: number): number {
  let rights = 0;
  for (let v = 1; v <= Math.min(abi, RIGHTS_BY_ABI.length - 1); v++) rights |= RIGHTS_BY_ABI[v];
  return rights;
}

/**
 * A close-on-exec Landlock ruleset fd holding `rules` (for the child to restrict itself with).
 * Throws `UnsupportedPlatform` without Landlock, the errno of a path that cannot be opened.
 */
export function createRuleset(rules: LandlockRules, platform: Platform): number {
  const abi = landlockAbi(platform);
  if (abi === null) {
    throw new CoreError(
      "UnsupportedPlatform",
      "confine landlock",
      "this kernel has no Landlock (Linux 5.13+, enabled at boot; no Android app may use it); " +
        "drop confine.landlock, or set confine.bestEffort to run without it",
    );
  }
  const c = libc();
  const table = syscallTable(platform);
  const handled = handledRights(abi);
  const attr = new Uint8Array(8);
  new DataView(attr.buffer).setBigUint64(0, BigInt(handled), true);
  const fd = Number(
    c.symbols.syscall_buffer_2(BigInt(table.landlock_create_ruleset), attr, 8n, 0n),
  );
  if (fd < 0) throw sysError("landlock_create_ruleset", c.errno());
  try {
    for (const [paths, rights] of [[rules.read, READ_RIGHTS], [rules.write, handled]] as const) {
      for (const path of paths) addPathRule(fd, path, rights & handled, table);
    }
    return fd;
  } catch (e) {
    closeFd(fd);
    throw e;
  }
}

function addPathRule(
  ruleset: number,
  path: string,
  rights: number,
  table: Readonly<Record<string, number>>,
): void {
  const c = libc();
  const name = cString(new TextEncoder().encode(path));
  const { O_PATH, O_CLOEXEC } = c.abi.kernel.open;
  const fd = c.symbols.open(name, O_PATH | O_CLOEXEC, 0);
  if (fd < 0) {
    throw sysError("confine landlock", c.errno(), `cannot open ${JSON.stringify(path)}`, path);
  }
  try {
    const allowed = directoryErrno(name) === 0 ? rights : rights & FILE_RIGHTS;
    const attr = new Uint8Array(12); // struct landlock_path_beneath_attr is packed
    const view = new DataView(attr.buffer);
    view.setBigUint64(0, BigInt(allowed), true);
    view.setInt32(8, fd, true);
    const { LANDLOCK_RULE_PATH_BENEATH } = LINUX_COMMON.landlock;
    const rc = Number(
      c.symbols.syscall_2_buffer_1(
        BigInt(table.landlock_add_rule),
        BigInt(ruleset),
        BigInt(LANDLOCK_RULE_PATH_BENEATH),
        attr,
        0n,
      ),
    );
    if (rc < 0) throw sysError("landlock_add_rule", c.errno(), `rule for ${path}`, path);
  } finally {
    closeFd(fd);
  }
}

function syscallTable(platform: Platform): Readonly<Record<string, number>> {
  return platform.arch === "x86_64" ? SYSCALLS_X86_64 : SYSCALLS_AARCH64;
}
