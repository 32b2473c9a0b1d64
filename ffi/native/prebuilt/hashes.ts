/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "197d2e4dbe3b39d94317ee0ac35e9b1429ce91f388f2006b3a4cf5c4dc591030",
  aarch64: "b857ea1c8f7ef527e68b1ee252a4e8ca541594988c758779adc006da6d68d6f4",
};
