/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "a8bc0a0c085d3ee35c631211b9c077e77069ce7abc99b2d57d78be00fd56c536",
  aarch64: "63a9db6c06176b824151e9071b49c3e45dd49159c722df39c362c3ce6aff2d06",
};
