/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "58b47d58c4c3deaef5a48ee41416eefcd4a9e20239e5a270dc11f2255ca1b1da",
  aarch64: "7ce0ecf82a875e472d69bcd2214ae0d7e2523a0fc7755253cad91ca193ab0562",
};
