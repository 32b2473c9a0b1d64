/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "483360c1a84c2db1e69279d302d76b6bf93a61944b7ffb5479cf644e7961604b",
  aarch64: "610f350b20143f9075d37b25ddda059e39965d9d8116b3009b9f78c289cf6e5f",
};
