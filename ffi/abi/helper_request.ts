/**
 * Layout of `struct cs_request` in ffi/native/child_setup.c, for LP64 (x86_64 and aarch64
 * alike: 8-byte pointers, 4-byte ints, natural alignment). Checked against the C compiler by
 * the ABI test; keep CS_ABI_VERSION in step with the C file.
 * @module
 */

/** Field offsets and the size of the helper's request struct. */
export interface HelperRequestLayout {
  readonly abiVersion: number;
  readonly size: number;
  readonly rlimitSize: number;
  readonly offsets: {
    readonly path: number;
    readonly argv: number;
    readonly envp: number;
    readonly cwd: number;
    readonly keepFds: number;
    readonly rlimits: number;
    readonly stack: number;
    readonly stackSize: number;
    readonly stdio: number;
    readonly keepCount: number;
    readonly rlimitCount: number;
    readonly pgroup: number;
    readonly useVfork: number;
    readonly closeAbove2: number;
    readonly errorFd: number;
    readonly errErrno: number;
    readonly errStep: number;
    readonly deathSignal: number;
    readonly parentPid: number;
    readonly extraCount: number;
    readonly extraFds: number;
    readonly pgid: number;
    readonly noNewPrivs: number;
    readonly landlockFd: number;
    readonly seccompCount: number;
    readonly seccompFilter: number;
    readonly controllingTty: number;
    readonly setIds: number;
    readonly uid: number;
    readonly gid: number;
  };
}

/** The LP64 layout. */
export const HELPER_REQUEST_LP64: HelperRequestLayout = {
  abiVersion: 7,
  size: 168,
  rlimitSize: 24,
  offsets: {
    path: 0,
    argv: 8,
    envp: 16,
    cwd: 24,
    keepFds: 32,
    rlimits: 40,
    stack: 48,
    stackSize: 56,
    stdio: 64,
    keepCount: 76,
    rlimitCount: 80,
    pgroup: 84,
    useVfork: 88,
    closeAbove2: 92,
    errorFd: 96,
    errErrno: 100,
    errStep: 104,
    deathSignal: 108,
    parentPid: 112,
    extraCount: 116,
    extraFds: 120,
    pgid: 128,
    noNewPrivs: 132,
    landlockFd: 136,
    seccompCount: 140,
    seccompFilter: 144,
    controllingTty: 152,
    setIds: 156,
    uid: 160,
    gid: 164,
  },
};

/** Values of the request's `pgroup` field (`enum cs_pgroup`). */
export const PGROUP = {
  /** Stay in the parent's group. */
  none: 0,
  /** setpgid(0, 0): lead a new group. */
  leader: 1,
  /** setsid: lead a new session (spawn's `pgroup: "isolated"`). */
  isolated: 2,
  /** setpgid(0, pgid): join an existing group. */
  join: 3,
} as const;

/** Bits of the request's `setIds` field (`enum cs_set_ids`): which ids the child takes. */
export const SET_IDS = {
  /** setgroups(0): a root parent's supplementary groups are not passed on. */
  dropGroups: 1,
  /** setresgid to `gid`. */
  gid: 2,
  /** setresuid to `uid`, last. */
  uid: 4,
} as const;

/**
 * Values of the request's `closeAbove2` field (`enum cs_close_above2` in child_setup.c): how
 * the child closes fds above 2 that it does not keep.
 */
export const CLOSE_ABOVE2 = {
  /** Nothing: every fd the child must not get is close-on-exec. */
  none: 0,
  /** close_range over each gap between kept fds (gated: Linux 5.9+, Android API 33+). */
  byRange: 1,
  /**
   * The child finds its open fds (a zero-timeout ppoll over its fd table, or a getdents64 walk
   * of /proc/self/fd for a table over 16,384 numbers) and closes each one not kept.
   */
  byScan: 2,
} as const;
