/**
 * Opens the C library once, tells glibc from bionic by the symbols it exports, and exposes
 * errno. Everything else in ffi/ calls libc through {@linkcode libc}.
 * @module
 */
import { abiFor, type AbiTable, type ArchName, type LibcName } from "../abi/mod.ts";
import { CoreError } from "./errors.ts";
import { PROPERTY_SYMBOLS, propertyReader } from "./properties.ts";

/**
 * Every libc function coreshift calls. Symbols that only some libcs have are optional; the
 * bionic API level of each is in bionic_symbols.ts.
 */
export const LIBC_SYMBOLS = {
  posix_spawn: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "pointer", "pointer"],
    result: "i32",
    optional: true, // bionic before API 28
  },
  posix_spawn_file_actions_init: { parameters: ["buffer"], result: "i32", optional: true },
  posix_spawn_file_actions_destroy: { parameters: ["buffer"], result: "i32", optional: true },
  posix_spawn_file_actions_addclose: {
    parameters: ["buffer", "i32"],
    result: "i32",
    optional: true,
  },
  posix_spawn_file_actions_adddup2: {
    parameters: ["buffer", "i32", "i32"],
    result: "i32",
    optional: true,
  },
  posix_spawn_file_actions_addopen: {
    parameters: ["buffer", "i32", "buffer", "i32", "u32"],
    result: "i32",
    optional: true,
  },

  posix_spawn_file_actions_addchdir_np: {
    parameters: ["buffer", "buffer"],
    result: "i32",
    optional: true, // glibc 2.29, bionic API 34
  },
  posix_spawn_file_actions_addclosefrom_np: {
    parameters: ["buffer", "i32"],
    result: "i32",
    optional: true, // glibc 2.34, never bionic
  },
  posix_spawnattr_init: { parameters: ["buffer"], result: "i32", optional: true },
  posix_spawnattr_destroy: { parameters: ["buffer"], result: "i32", optional: true },
  posix_spawnattr_setflags: { parameters: ["buffer", "i16"], result: "i32", optional: true },
  posix_spawnattr_setsigmask: { parameters: ["buffer", "buffer"], result: "i32", optional: true },
  posix_spawnattr_setsigdefault: {
    parameters: ["buffer", "buffer"],
    result: "i32",
    optional: true,
  },
  posix_spawnattr_setpgroup: { parameters: ["buffer", "i32"], result: "i32", optional: true },
  sigemptyset: { parameters: ["buffer"], result: "i32" },
  sigfillset: { parameters: ["buffer"], result: "i32" },
  sigdelset: { parameters: ["buffer", "i32"], result: "i32" },
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  mprotect: { parameters: ["pointer", "usize", "i32"], result: "i32" },
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  getenv: { parameters: ["buffer"], result: "pointer" },
  strlen: { parameters: ["pointer"], result: "usize" },
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  access: { parameters: ["buffer", "i32"], result: "i32" },
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "isize" },
  /** Exact deadlines for the reactors (epoll_wait's timeout is whole milliseconds). */
  timerfd_create: { parameters: ["i32", "i32"], result: "i32", optional: true },
  timerfd_settime: {
    parameters: ["i32", "i32", "buffer", "pointer"],
    result: "i32",
    optional: true,
  },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  /** The same call parked on a worker thread (its errno is that thread's: unreadable here). */
  epoll_wait_on_thread: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  wait4: { parameters: ["i32", "buffer", "i32", "buffer"], result: "i32" },
  kill: { parameters: ["i32", "i32"], result: "i32" },
  sigaction: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** `ioctl(fd, request, arg *)`: the terminal calls of a pseudo-terminal. */
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  geteuid: { parameters: [], result: "u32" },
  syscall: { parameters: ["i64", "i64", "i64"], result: "i64" },
  /** `syscall(nr, a, buffer, b)`: every argument a full register, as the variadic callee reads. */
  syscall_with_buffer: {
    name: "syscall",
    parameters: ["i64", "i64", "buffer", "i64"],
    result: "i64",
  },
  /** `syscall(nr, a, b, c)`: Landlock's version query. */
  syscall_3: { name: "syscall", parameters: ["i64", "i64", "i64", "i64"], result: "i64" },
  /** `syscall(nr, buffer, a, b)`: landlock_create_ruleset(attr, size, flags). */
  syscall_buffer_2: { name: "syscall", parameters: ["i64", "buffer", "i64", "i64"], result: "i64" },
  /** `syscall(nr, a, b, buffer, c)`: landlock_add_rule(fd, type, attr, flags). */
  syscall_2_buffer_1: {
    name: "syscall",
    parameters: ["i64", "i64", "i64", "buffer", "i64"],
    result: "i64",
  },
  environ: { type: "pointer" },
  __errno_location: { parameters: [], result: "pointer", optional: true },
  __errno: { parameters: [], result: "pointer", optional: true },
  gnu_get_libc_version: { parameters: [], result: "pointer", optional: true },
  ...PROPERTY_SYMBOLS,
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened libc's functions. Optional ones are `null` where the libc lacks them. */
export type LibcSymbols = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

/** An opened C library with its identity and ABI table. */
export interface Libc {
  readonly name: LibcName;
  /** glibc: `gnu_get_libc_version()`, e.g. `"2.36"`; bionic: `"api<N>"`. */
  readonly version: string;
  readonly abi: AbiTable;
  readonly symbols: LibcSymbols;
  /** This thread's errno, read right after a failing call. */
  errno(): number;
}

let opened: Libc | undefined;

/** The process's libc, opened on first use. Throws `UnsupportedPlatform` on musl or unknown arch. */
export function libc(): Libc {
  return opened ??= openLibc();
}

function hostArch(): ArchName {
  const arch = Deno.build.arch;
  if (arch === "x86_64" || arch === "aarch64") return arch;
  throw new CoreError(
    "UnsupportedPlatform",
    "detect arch",
    `architecture ${arch} is not supported; coreshift runs on x86_64 and aarch64`,
  );
}

function openLibc(): Libc {
  const arch = hostArch();
  const candidates = Deno.build.os === "android"
    ? ["libc.so", "libc.so.6"]
    : ["libc.so.6", "libc.so"];
  let lib: Deno.DynamicLibrary<typeof LIBC_SYMBOLS> | undefined;
  const failures: string[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    try {
      lib = Deno.dlopen(candidate, LIBC_SYMBOLS);
      break;
    } catch (e) {
      failures.push(`${candidate}: ${(e as Error).message}`);
    }
  }
  if (!lib) {
    throw new CoreError(
      "UnsupportedPlatform",
      "open libc",
      `no glibc or bionic libc could be opened (${failures.join("; ")}); ` +
        "coreshift needs glibc (Linux) or bionic (Android); musl is not supported",
    );
  }
  const s = lib.symbols;
  const name = identify(s);
  if (!name) {
    lib.close();
    throw new CoreError(
      "UnsupportedPlatform",
      "detect libc",
      "the C library is neither glibc nor bionic (musl?); use a glibc or Android build of Deno",
    );
  }
  const abi = abiFor(name, arch);
  const errnoFn = s[abi.errnoSymbol];
  const errnoPtr = errnoFn?.();
  if (!errnoPtr) throw new CoreError("UnsupportedPlatform", "errno", `${abi.errnoSymbol} missing`);
  const errnoView = new Int32Array(Deno.UnsafePointerView.getArrayBuffer(errnoPtr, 4));
  return {
    name,
    version: name === "glibc" ? glibcVersion(s) : `api${bionicApiLevel(s) ?? "?"}`,
    abi,
    symbols: s,
    errno: () => errnoView[0],
  };
}

/** glibc exports `gnu_get_libc_version`; bionic exports the system-property API. */
function identify(s: LibcSymbols): LibcName | undefined {
  if (s.gnu_get_libc_version) return "glibc";
  if (s.__system_property_get && s.__errno) return "bionic"; // every API level has _get
  return undefined;
}

function glibcVersion(s: LibcSymbols): string {
  const p = s.gnu_get_libc_version!();
  return p ? Deno.UnsafePointerView.getCString(p) : "unknown";
}

/** `ro.build.version.sdk` through bionic's property API. */
export function bionicApiLevel(s: LibcSymbols): number | undefined {
  const api = Number(propertyReader(s)?.("ro.build.version.sdk") ?? NaN);
  return Number.isInteger(api) && api > 0 ? api : undefined;
}
