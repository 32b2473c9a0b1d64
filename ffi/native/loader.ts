/**
 * Finds, verifies and opens the native child-setup helper.
 *
 * Order: `CORESHIFT_NATIVE=/path/lib.so` (a self-built helper, the user's choice); else the
 * prebuilt file for this arch, whose SHA-256 must equal the one in prebuilt/hashes.ts before
 * dlopen (the bytes hashed are the bytes loaded: one fd serves both) (next to this module when imported from disk, or fetched into the cache by
 * {@linkcode prepareNativeHelper} when imported over https); else, on an arch with no prebuilt
 * file, a build from child_setup.c with `cc`; else a `NativeHelperUnavailable` error that says
 * which of these to do.
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HELPER_REQUEST_LP64 } from "../abi/helper_request.ts";
import { concatBytes } from "../os/bytes.ts";
import { cString } from "../os/cstrings.ts";
import { CoreError, errnoName, sysError } from "../os/errors.ts";
import { closeFd } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import { cacheDir, writeAtomic } from "./cache.ts";
import { compileHelper, HELPER_FILE } from "./compile.ts";
import { fileSha256Hex, sha256Hex } from "./sha256.ts";
import { PREBUILT_SHA256 } from "./prebuilt/hashes.ts";

/** The loaded helper. */
export interface NativeHelper {
  /** The file that was opened. */
  readonly path: string;
  /** Its SHA-256 (hex). */
  readonly sha256: string;
  /** How it was found. */
  readonly origin: "prebuilt" | "env" | "built";
  /** `coreshift_spawn(req)`: pid, or -errno when clone failed. */
  spawn(request: Uint8Array): number;
  /**
   * The same call on a Deno worker thread, so this one keeps running while the child starts.
   * `request` and everything it points at must stay alive and untouched until it settles.
   */
  spawnOnThread(request: Uint8Array): Promise<number>;
}

const SYMBOLS = {
  coreshift_spawn: { parameters: ["buffer"], result: "i64" },
  coreshift_spawn_on_thread: {
    name: "coreshift_spawn",
    parameters: ["buffer"],
    result: "i64",
    nonblocking: true,
  },
  coreshift_abi_version: { parameters: [], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The request layout version this TypeScript speaks: the one in the ABI table. */
export const HELPER_ABI_VERSION: number = HELPER_REQUEST_LP64.abiVersion;

let loaded: NativeHelper | CoreError | undefined;

/** The helper, loading it on first use. Throws `NativeHelperUnavailable` with the fix. */
export function nativeHelper(): NativeHelper {
  const helper = loadOnce();
  if (helper instanceof CoreError) throw helper;
  return helper;
}

/** The helper, or the `NativeHelperUnavailable` error that says why it cannot load here. */
export function nativeHelperStatus(): NativeHelper | CoreError {
  return loadOnce();
}

/**
 * The helper, or null where it cannot be loaded (the default backend then is posix_spawn).
 * Out of fds is not "cannot be loaded": that throws, and the next call tries again.
 */
export function nativeHelperIfAvailable(): NativeHelper | null {
  const helper = loadOnce();
  if (helper instanceof CoreError && isOutOfFds(helper)) throw helper;
  return helper instanceof CoreError ? null : helper;
}

/** Loads once; a failure for want of fds is returned but not kept, so a later call retries. */
function loadOnce(): NativeHelper | CoreError {
  if (loaded) return loaded;
  const result = tryLoad();
  if (!(result instanceof CoreError && isOutOfFds(result))) loaded = result;
  return result;
}

function isOutOfFds(e: CoreError): boolean {
  return e.code === "EMFILE" || e.code === "ENFILE";
}

/**
 * Makes the helper available when coreshift was imported over https (e.g. from JSR): fetches
 * the prebuilt file next to the module, checks its SHA-256 and writes it atomically into the
 * cache. A no-op when imported from disk. Call once before using the fork or vfork backends.
 *
 * @example
 * ```ts
 * import { prepareNativeHelper } from "@coreshift/core";
 * const helper = await prepareNativeHelper();
 * console.log(helper.path, helper.sha256);
 * ```
 */
export async function prepareNativeHelper(): Promise<
  { readonly path: string; readonly sha256: string }
> {
  const arch = Deno.build.arch;
  const expected = PREBUILT_SHA256[arch];
  const url = prebuiltUrl(arch);
  if (expected && url.protocol !== "file:") {
    const target = cachedPrebuiltPath(arch, expected);
    if (fileSha256Hex(target) !== expected) {
      const response = await fetch(url);
      if (!response.ok) {
        throw unavailable(
          `fetching ${url} answered ${response.status}; set CORESHIFT_NATIVE to a helper you built`,
        );
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const got = sha256Hex(bytes);
      if (got !== expected) throw tampered(url.href, expected, got);
      writeAtomic(target, bytes);
    }
  }
  loaded = undefined;
  return nativeHelper();
}

function tryLoad(): NativeHelper | CoreError {
  try {
    return load();
  } catch (e) {
    if (e instanceof CoreError) return e;
    return unavailable((e as Error).message);
  }
}

function load(): NativeHelper {
  const fromEnv = Deno.env.get("CORESHIFT_NATIVE");
  if (fromEnv) return openHashed(fromEnv, null, "env");
  const arch = Deno.build.arch;
  const expected = PREBUILT_SHA256[arch];
  if (!expected) return buildFromSource(arch, "cc");
  const url = prebuiltUrl(arch);
  const path = url.protocol === "file:" ? fileURLToPath(url) : cachedPrebuiltPath(arch, expected);
  return openVerified(path, expected);
}

/**
 * Opens `path` only if its SHA-256 is `expected`. Exported for tests (a tampered copy must be
 * refused).
 */
export function openVerified(path: string, expected: string): NativeHelper {
  return openHashed(path, expected, "prebuilt");
}

/**
 * Opens `path` once, hashes the bytes read through that fd, and loads that same file through
 * `/proc/self/fd/N`: a file swapped in at `path` after the hash is never what gets loaded.
 * With `expected`, a different hash is refused.
 */
function openHashed(
  path: string,
  expected: string | null,
  origin: NativeHelper["origin"],
): NativeHelper {
  const c = libc();
  const { O_RDONLY, O_CLOEXEC } = c.abi.kernel.open;
  const fd = c.symbols.open(cString(new TextEncoder().encode(path)), O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    const errno = c.errno();
    const { EMFILE, ENFILE } = c.abi.kernel.common.errno;
    if (errno === EMFILE || errno === ENFILE) {
      throw sysError("load native helper", errno, "the process is out of fds (ulimit -n)", path);
    }
    throw unavailable(
      `${path} is missing (${errnoName(errno)}); when coreshift is imported over https, call ` +
        "await prepareNativeHelper() once, or set CORESHIFT_NATIVE to a helper you built",
    );
  }
  try {
    const got = sha256Hex(readAll(fd, path));
    if (expected !== null && got !== expected) throw tampered(path, expected, got);
    return open(`/proc/self/fd/${fd}`, got, origin, path);
  } finally {
    closeFd(fd); // the loaded mapping keeps its own reference to the file
  }
}

/** Everything `fd` holds, read to EOF. */
function readAll(fd: number, path: string): Uint8Array {
  const c = libc();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const n = Number(c.symbols.read(fd, chunk, BigInt(chunk.length)));
    if (n === 0) break;
    if (n < 0) {
      const errno = c.errno();
      if (errno === c.abi.kernel.common.errno.EINTR) continue;
      throw unavailable(`reading ${path} failed with ${errnoName(errno)}`);
    }
    chunks.push(chunk.subarray(0, n));
  }
  return concatBytes(chunks);
}

/**
 * Builds the helper from child_setup.c with `compiler` into the cache and opens it; used on an
 * arch with no prebuilt file. Exported for tests (a missing compiler gives the documented error).
 */
export function buildFromSource(arch: string, compiler: string): NativeHelper {
  const sourceUrl = new URL("./child_setup.c", import.meta.url);
  if (sourceUrl.protocol !== "file:") {
    throw unavailable(
      `no prebuilt helper for ${arch}; build ffi/native/child_setup.c yourself and set CORESHIFT_NATIVE`,
    );
  }
  const source = fileURLToPath(sourceUrl);
  // The cache name follows both files the build reads: the sequence and its request header.
  const header = fileURLToPath(new URL("./cs_request.h", import.meta.url));
  const sources = new Uint8Array([...Deno.readFileSync(source), ...Deno.readFileSync(header)]);
  const out = join(cacheDir(), `${HELPER_FILE}-${arch}-${sha256Hex(sources).slice(0, 16)}`);
  if (fileSha256Hex(out) === undefined) {
    const tmp = `${out}.${Deno.pid}.tmp`;
    Deno.mkdirSync(cacheDir(), { recursive: true });
    const err = compileHelper(compiler, source, tmp);
    if (err) {
      throw unavailable(
        `no prebuilt helper for ${arch} and building it failed (${err.trim()}); install a C compiler ` +
          "(Termux: pkg install clang) or set CORESHIFT_NATIVE to a helper you built",
      );
    }
    Deno.renameSync(tmp, out);
  }
  return openHashed(out, null, "built");
}

/** dlopens `loadPath` (the `/proc/self/fd` name of `path`) and checks its request version. */
function open(
  loadPath: string,
  hash: string,
  origin: NativeHelper["origin"],
  path: string,
): NativeHelper {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    lib = Deno.dlopen(loadPath, SYMBOLS);
  } catch (e) {
    throw unavailable(`dlopen ${path} failed: ${(e as Error).message}`);
  }
  const version = lib.symbols.coreshift_abi_version();
  if (version !== HELPER_ABI_VERSION) {
    lib.close();
    throw unavailable(
      `${path} speaks request version ${version}, this module ${HELPER_ABI_VERSION}; rebuild it`,
    );
  }
  const { coreshift_spawn: spawn, coreshift_spawn_on_thread: onThread } = lib.symbols;
  return {
    path,
    sha256: hash,
    origin,
    spawn: (request) => Number(spawn(request)),
    spawnOnThread: async (request) => Number(await onThread(request)),
  };
}

function prebuiltUrl(arch: string): URL {
  return new URL(`./prebuilt/linux-${arch}/${HELPER_FILE}`, import.meta.url);
}

function cachedPrebuiltPath(arch: string, hash: string): string {
  return join(cacheDir(), `${HELPER_FILE}-${arch}-${hash.slice(0, 16)}`);
}

function unavailable(message: string): CoreError {
  return new CoreError("NativeHelperUnavailable", "load native helper", message);
}

function tampered(where: string, expected: string, got: string): CoreError {
  return unavailable(
    `SHA-256 of ${where} is ${got}, expected ${expected}: the file was altered or is from another ` +
      "version; refusing to load it (reinstall, or run deno task build:native from the source)",
  );
}
