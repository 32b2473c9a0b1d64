/**
 * SHA-256 of each prebuilt file of the bench children, written by `deno task build:bench`;
 * the loader refuses a file whose hash differs. Do not edit by hand.
 * @module
 */

/** Expected SHA-256 of prebuilt/linux-<arch>/<child>, keyed `<arch>/<child>`. */
export const PREBUILT_SHA256: Readonly<Record<string, string>> = {
  "x86_64/noop": "3ce0de213165b5a6f77a408fc194e88ad5df361a112bbc67c6d69e979795f846",
  "x86_64/writer": "0fc4a0d6eadb9ce2221ba4abff9492ca7064acbeb4310083b9cd95e99b64d35f",
  "x86_64/linger": "0022453cf0d38b17a29cb2b49e670bc621d1e2dc24b16403e2ef265aa00d0d1e",
  "aarch64/noop": "eac9099edc5cff876703a08977d99a86853f7f624d218f70b643a4caf4b8206d",
  "aarch64/writer": "0f71cfe4e3dfb0b3a2e7352b015e63416304b5fceef8c5a30a706cdd13336886",
  "aarch64/linger": "a8c309bb6bd250049b172077f1ce93631436feaa356b303fb2ae941412ee464d",
};
