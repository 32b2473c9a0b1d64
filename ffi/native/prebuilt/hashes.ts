/**
 * SHA-256 of each prebuilt file of the native helper, written by `deno task build:native`;
 * the loader refuses a file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so, by arch. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  "x86_64": "2f4b62a1af60a0cdf0d7db6d98bbf6d11536be048c30aaf5372140d5e685ac04",
  "aarch64": "0720db7ef4badfdb263c15b49daab614b5ff93ca89b0591c694ce500e9e2754c",
};
