/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "9cd4b695e2f5c66e69ad78eed07b7657645808845b3fc309952db2d6cea56f53",
  aarch64: "cba38763599f5dd882e8cc58dd4621f0b34346b0c38d5afd0889075cec1ed144",
};
