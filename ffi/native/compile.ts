/**
 * How the helper is compiled: one command line, shared by the reproducible build task and by
 * the loader's build-from-source fallback (an arch with no prebuilt file).
 * @module
 */

/** Flags for a libc-free, position-independent, byte-for-byte reproducible shared object. */
export const HELPER_CFLAGS: readonly string[] = [
  "-O2",
  "-std=c11",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-nostdlib",
  "-ffreestanding",
  "-fno-builtin",
  "-fPIC",
  "-shared",
  "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables",
  "-fno-unwind-tables",
  "-fno-ident",
  "-Wl,--build-id=none",
  "-Wl,-z,noexecstack",
  "-Wl,-z,defs", // no libc: an implicit memcpy or memset must fail the build, not dlopen
  "-Wl,--hash-style=gnu",
  "-s",
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
