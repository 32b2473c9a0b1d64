/**
 * Decides the exact libc calls one posix_spawn will make: attribute flags, process group, and
 * the file actions in order. Pure data, so a test can pretend to be bionic at API 29 and read
 * what would be called; posix_spawn.ts then performs it.
 * @module
 */
import type { AbiTable } from "../abi/mod.ts";
import type { OpenFd } from "../os/fds.ts";
import type { PosixSpawnCaps } from "../platform/capabilities.ts";
import type { PgroupMode } from "../options/options.ts";
import type { ChildEnd } from "../plan/child_fds.ts";
import type { ValidFdPolicy } from "../options/validate_streams.ts";

/** One `posix_spawn_file_actions_add*` call. */
export type FileAction =
  | { readonly op: "dup2"; readonly fd: number; readonly newfd: number }
  | { readonly op: "close"; readonly fd: number }
  | { readonly op: "closefrom"; readonly fd: number }
  | { readonly op: "chdir"; readonly path: Uint8Array }
  | { readonly op: "open"; readonly fd: number; readonly path: Uint8Array; readonly flags: number };

/** The attribute and file-action calls for one spawn. */
export interface PosixSpawnCall {
  /** `posix_spawnattr_setflags` value. */
  readonly flags: number;
  /** Names of the flags set, for tests and `doctor`. */
  readonly flagNames: readonly string[];
  /** `posix_spawnattr_setpgroup` argument, or null when not set. */
  readonly pgroup: number | null;
  /** File actions, in the order the child performs them. */
  readonly actions: readonly FileAction[];
}

/** What {@linkcode planPosixSpawnCall} decides from. */
export interface PosixSpawnCallInput {
  readonly abi: AbiTable;
  readonly caps: PosixSpawnCaps;
  /** The child's fds 0, 1, 2. */
  readonly child: readonly [ChildEnd, ChildEnd, ChildEnd];
  /** The parent's shared `/dev/null` fd, dup2'd onto every null stream. */
  readonly devNull: number;
  readonly pgroup: PgroupMode;
  readonly fdPolicy: ValidFdPolicy;
  readonly cwd: Uint8Array | null;
  /** Parent's open fds (from /proc/self/fd); needed unless the policy is cloexecOnly. */
  readonly openFds: readonly OpenFd[] | null;
  /**
   * Close-on-exec copies of allowlisted fds that are close-on-exec themselves: `dup2(copy, fd)`
   * in the child leaves `fd` open across exec on every libc (bionic before API 33 does not
   * clear the flag for `adddup2(fd, fd)`).
   */
  readonly keepCopies: ReadonlyMap<number, number>;
  /**
   * A pty slave's path (`/dev/pts/N`) to make the controlling terminal, or null. Both libcs
   * run setsid (SETSID) before the file actions, and a session leader without a terminal that
   * opens one without O_NOCTTY acquires it: the open is the step, the fd it gives is fd 0.
   */
  readonly controllingTty?: Uint8Array | null;
}

/**
 * Whether the fd policy needs the parent's `/proc/self/fd` scan on this platform: a closefrom(3)
 * action would also close fds the child gets by dup2 (`kept`: allowlist copies, extraFds).
 */
export function needsFdScan(policy: ValidFdPolicy, caps: PosixSpawnCaps, kept = false): boolean {
  if (policy.kind === "cloexecOnly") return false;
  return !(policy.kind === "closeFrom3" && caps.addclosefrom && !kept);
}

/**
 * The calls one spawn makes. Never sets RESETIDS: bionic does it with seteuid/setegid, which
 * reach setresgid, a call Android's app filter answers with SIGSYS (docs/android.md).
 */
export function planPosixSpawnCall(input: PosixSpawnCallInput): PosixSpawnCall {
  const f = input.abi.spawnFlags;
  const flagNames = ["SETSIGMASK", "SETSIGDEF"];
  if (input.pgroup === "leader" || typeof input.pgroup === "object") flagNames.push("SETPGROUP");
  if (input.pgroup === "isolated") flagNames.push("SETSID");
  if (input.caps.wantsUseVfork) flagNames.push("USEVFORK");
  const flags = flagNames.reduce((acc, name) => acc | f[name as keyof typeof f], 0);

  const actions: FileAction[] = [];
  input.child.forEach((end, fd) => {
    if (end === "inherit") return;
    actions.push({ op: "dup2", fd: end === "null" ? input.devNull : end, newfd: fd });
  });
  input.keepCopies.forEach((copy, fd) => actions.push({ op: "dup2", fd: copy, newfd: fd }));
  const closes = closeActions(input);
  for (let i = 0; i < closes.length; i++) actions.push(closes[i]);
  if (input.controllingTty) {
    const { O_RDWR } = input.abi.kernel.open;
    actions.push({ op: "open", fd: 0, path: input.controllingTty, flags: O_RDWR });
  }
  if (input.cwd) actions.push({ op: "chdir", path: input.cwd });
  return {
    flags,
    flagNames,
    pgroup: input.pgroup === "leader"
      ? 0
      : typeof input.pgroup === "object"
      ? input.pgroup.join
      : null,
    actions,
  };
}

function closeActions(input: PosixSpawnCallInput): FileAction[] {
  const policy = input.fdPolicy;
  if (policy.kind === "cloexecOnly") return [];
  if (!needsFdScan(policy, input.caps, input.keepCopies.size > 0)) {
    return [{ op: "closefrom", fd: 3 }];
  }
  const keep = new Set([
    ...(policy.kind === "allow" ? policy.fds : []),
    ...input.keepCopies.keys(),
  ]);
  // Close-on-exec fds vanish at exec anyway: only the inheritable ones need a close action.
  return (input.openFds ?? [])
    .filter((o) => o.fd > 2 && !o.cloexec && !keep.has(o.fd))
    .map((o) => ({ op: "close", fd: o.fd }));
}
