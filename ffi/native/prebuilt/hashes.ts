/**
 * SHA-256 of each prebuilt helper, written by `deno task build:native`; the loader refuses a
 * file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/libcoreshift_helper.so. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  x86_64: "1f509b2b8e3b6a83c46fcbea2f32af37af34b4bfdc3eaab6f30eef27f918f054",
  aarch64: "29f7f433b7d7d67ee1e35c2cdeed401a06f881d3b53c074198255cd48040062e",
};
