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
    readonly closeFds: number;
    readonly keepFds: number;
    readonly rlimits: number;
    readonly stack: number;
    readonly stackSize: number;
    readonly resetSignals: number;
    readonly stdio: number;
    readonly closeCount: number;
    readonly keepCount: number;
    readonly rlimitCount: number;
    readonly pgroup: number;
    readonly useVfork: number;
    readonly closeFrom3Range: number;
    readonly errorFd: number;
    readonly errErrno: number;
    readonly errStep: number;
  };
}

/** The LP64 layout. */
export const HELPER_REQUEST_LP64: HelperRequestLayout = {
  abiVersion: 1,
  size: 128,
  rlimitSize: 24,
  offsets: {
    path: 0,
    argv: 8,
    envp: 16,
    cwd: 24,
    closeFds: 32,
    keepFds: 40,
    rlimits: 48,
    stack: 56,
    stackSize: 64,
    resetSignals: 72,
    stdio: 80,
    closeCount: 92,
    keepCount: 96,
    rlimitCount: 100,
    pgroup: 104,
    useVfork: 108,
    closeFrom3Range: 112,
    errorFd: 116,
    errErrno: 120,
    errStep: 124,
  },
};
