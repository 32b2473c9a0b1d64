/**
 * SHA-256 of each prebuilt file of the native helper, written by `deno task build:native`;
 * the loader refuses a file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so, by arch. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  "x86_64": "dae528820f7b16c6ad4f620eb8545f6e023277a9f09e3ff3f3d4184f03b0d623",
  "aarch64": "5742ddc7ca0b911d287165ef93a791b8d2d4311bdbeea74e4937bbf4c47c623e",
};
