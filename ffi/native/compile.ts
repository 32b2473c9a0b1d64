/**
 * How the helper is compiled: one command line, shared by the reproducible build task and by
 * the loader's build-from-source fallback (an arch with no prebuilt file).
 * @module
 */

/**
 * What every libc-free build of ours shares: strict C11, no libc and no builtins (so no hidden
 * memcpy), and nothing that varies between builds (no ident, no build id, no unwind tables),
 * stripped: the helper and the bench children are byte-for-byte reproducible from it.
 */
export const FREESTANDING_CFLAGS: readonly string[] = [
  "-O2",
  "-std=c11",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-nostdlib",
  "-ffreestanding",
  "-fno-builtin",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-fno-unwind-tables",
  "-fno-ident",
  "-Wl,--build-id=none",
  "-Wl,-z,noexecstack",
  "-s",
];

/** Flags for the helper: a position-independent shared object on top of the shared set. */
export const HELPER_CFLAGS: readonly string[] = [
  ...FREESTANDING_CFLAGS,
  "-fPIC",
  "-shared",
  "-Wl,-z,defs", // no libc: an implicit memcpy or memset must fail the build, not dlopen
  "-Wl,--hash-style=gnu",
];

/** File name of the helper, everywhere. */
export const HELPER_FILE = "libcoreshift_helper.so";

/** Compiles `source` to `out` with `compiler`; returns cc's stderr on failure, null on success. */
export function compileHelper(compiler: string, source: string, out: string): string | null {
  let result: Deno.CommandOutput;
  try {
    // Run from the source's folder with a relative path so no absolute path lands in the binary.
    const dir = source.slice(0, source.lastIndexOf("/")) || ".";
    const file = source.slice(source.lastIndexOf("/") + 1);
    result = new Deno.Command(compiler, { args: [...HELPER_CFLAGS, "-o", out, file], cwd: dir })
      .outputSync();
  } catch (e) {
    return `${compiler} could not be run: ${(e as Error).message}`;
  }
  return result.success ? null : new TextDecoder().decode(result.stderr) || `${compiler} failed`;
}
