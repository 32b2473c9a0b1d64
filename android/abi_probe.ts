/**
 * `coreshift doctor --abi-check`: compares the ABI table coreshift uses with what the running
 * libc and kernel show, for the values that can be probed from inside a process. On a device
 * this is the check the bionic tables otherwise lack (they are written from headers).
 *
 * How each value is observed:
 * - libc identity and errno symbol: which symbols the library exports;
 * - `posix_spawnattr_t`, `posix_spawn_file_actions_t` sizes: how many bytes of a guard-filled
 *   buffer the `*_init` functions write (glibc clears the whole struct; bionic writes one
 *   pointer);
 * - `sigset_t`: only that `sigfillset` writes no more than the table's size (glibc fills just
 *   the kernel's 64 bits of its 128-byte type, so the full size cannot be observed; what matters
 *   is that our buffers are never too small);
 * - `struct epoll_event`: where a tagged `data` comes back from `epoll_wait`, and its stride;
 * - `O_CLOEXEC`, `O_NONBLOCK`, `FD_CLOEXEC`: the flags `fcntl` reports on a pipe made with them.
 * @module
 */
import type { AbiTable } from "../ffi/abi/mod.ts";
import { closeFd } from "../ffi/os/fds.ts";
import { type Libc, libc } from "../ffi/os/libc.ts";

/** One probed value. */
export interface AbiCheck {
  /** The table entry, e.g. `sizes.posixSpawnattr`. */
  readonly name: string;
  /** What the table says. */
  readonly expected: number | string;
  /** What this machine shows, or null when it cannot be probed here. */
  readonly actual: number | string | null;
  /** How actual must relate to expected: equal, or at most (a bound, see sigset). */
  readonly relation: "equal" | "atMost";
  /** The relation holds, or the value is not probeable here (then not counted as a failure). */
  readonly ok: boolean;
}

const GUARD = 0xa5;
const PROBE_BYTES = 1024;

/**
 * Probes this process's libc and kernel against the ABI table in use.
 *
 * @example
 * ```ts
 * import { probeAbi } from "@coreshift/core/android";
 * for (const c of probeAbi()) if (!c.ok) console.log(`${c.name}: table ${c.expected}, seen ${c.actual}`);
 * ```
 */
export function probeAbi(): AbiCheck[] {
  return probeAbiAgainst(libc().abi);
}

/** {@linkcode probeAbi} against any table (tests hand it a wrong one). */
export function probeAbiAgainst(t: AbiTable): AbiCheck[] {
  const c = libc();
  const checks: AbiCheck[] = [];
  const check = (
    name: string,
    expected: number | string,
    actual: number | string | null,
    relation: "equal" | "atMost" = "equal",
  ) => {
    const holds = relation === "equal" ? actual === expected : Number(actual) <= Number(expected);
    checks.push({ name, expected, actual, relation, ok: actual === null || holds });
  };
  const s = c.symbols;
  check("libc", t.libc, s.gnu_get_libc_version ? "glibc" : s.__errno ? "bionic" : "unknown");
  check(
    "errnoSymbol",
    t.errnoSymbol,
    s.__errno_location ? "__errno_location" : s.__errno ? "__errno" : "none",
  );
  check("sizes.sigset", t.sizes.sigset, bytesWritten((b) => s.sigfillset(b)), "atMost");
  check(
    "sizes.posixSpawnattr",
    t.sizes.posixSpawnattr,
    initSize(s.posix_spawnattr_init, s.posix_spawnattr_destroy),
  );
  check(
    "sizes.posixSpawnFileActions",
    t.sizes.posixSpawnFileActions,
    initSize(s.posix_spawn_file_actions_init, s.posix_spawn_file_actions_destroy),
  );
  const epoll = probeEpollEvent(c);
  check("kernel.epollEvent.dataOffset", t.kernel.epollEvent.dataOffset, epoll.dataOffset);
  check("kernel.epollEvent.size", t.kernel.epollEvent.size, epoll.size);
  const flags = probePipeFlags(c, t);
  check("kernel.open.O_NONBLOCK", t.kernel.open.O_NONBLOCK, flags.nonblock);
  check(
    "kernel.common.fcntl.FD_CLOEXEC (via O_CLOEXEC)",
    t.kernel.common.fcntl.FD_CLOEXEC,
    flags.cloexec,
  );
  return checks;
}

/** The size an `init`/`destroy` pair fills in, or null where the libc lacks them. */
function initSize(
  init: ((b: Uint8Array) => unknown) | null,
  destroy: ((b: Uint8Array) => unknown) | null,
): number | null {
  return init && destroy ? bytesWritten(init, destroy) : null;
}

/**
 * Calls `init` on a guard-filled buffer and returns the offset just past the last byte it
 * changed: the size of the struct it initialised (for a pointer-sized opaque type, 8).
 */
function bytesWritten(
  init: (b: Uint8Array) => unknown,
  destroy?: (b: Uint8Array) => unknown,
): number {
  const buf = new Uint8Array(PROBE_BYTES).fill(GUARD);
  init(buf);
  let last = -1;
  for (let i = 0; i < buf.length; i++) if (buf[i] !== GUARD) last = i;
  destroy?.(buf);
  return last + 1;
}

/** Registers a pipe with a tagged `data`, makes it readable, and reads back the layout. */
function probeEpollEvent(c: Libc): { dataOffset: number | null; size: number | null } {
  const s = c.symbols;
  const { epoll } = c.abi.kernel.common;
  const ep = s.epoll_create1(epoll.EPOLL_CLOEXEC);
  const raw = new Int32Array(2);
  if (ep < 0) return { dataOffset: null, size: null };
  if (s.pipe2(new Uint8Array(raw.buffer), c.abi.kernel.open.O_CLOEXEC) !== 0) {
    closeFd(ep);
    return { dataOffset: null, size: null };
  }
  try {
    // A tag whose bytes repeat every 4, written at offsets 4 to 15: the kernel reads the same
    // 8 bytes whether `data` sits at 4 (packed, x86_64) or at 8 (aligned, arm64).
    const tag = 0x5566778855667788n;
    const ev = new Uint8Array(16);
    const view = new DataView(ev.buffer);
    view.setUint32(0, epoll.EPOLLIN, true);
    view.setBigUint64(4, tag, true);
    view.setBigUint64(8, tag, true);
    s.epoll_ctl(ep, epoll.EPOLL_CTL_ADD, raw[0], ev);
    s.write(raw[1], new Uint8Array(1), 1n);
    const out = new Uint8Array(64).fill(GUARD);
    if (s.epoll_wait(ep, out, 1, 0) !== 1) return { dataOffset: null, size: null };
    const outView = new DataView(out.buffer);
    for (const offset of [4, 8]) {
      if (outView.getBigUint64(offset, true) === tag) {
        let last = -1;
        for (let i = 0; i < out.length; i++) if (out[i] !== GUARD) last = i;
        return { dataOffset: offset, size: last + 1 };
      }
    }
    return { dataOffset: -1, size: null };
  } finally {
    closeFd(raw[0]);
    closeFd(raw[1]);
    closeFd(ep);
  }
}

/** Makes a pipe with the table's O_CLOEXEC|O_NONBLOCK and reads back what fcntl says. */
function probePipeFlags(c: Libc, t: AbiTable): { nonblock: number | null; cloexec: number | null } {
  const s = c.symbols;
  const raw = new Int32Array(2);
  if (
    s.pipe2(new Uint8Array(raw.buffer), t.kernel.open.O_CLOEXEC | t.kernel.open.O_NONBLOCK) !== 0
  ) {
    return { nonblock: null, cloexec: null };
  }
  try {
    const { F_GETFD, F_GETFL } = t.kernel.common.fcntl;
    return {
      nonblock: s.fcntl(raw[0], F_GETFL, 0) & t.kernel.open.O_NONBLOCK,
      cloexec: s.fcntl(raw[0], F_GETFD, 0),
    };
  } finally {
    closeFd(raw[0]);
    closeFd(raw[1]);
  }
}
