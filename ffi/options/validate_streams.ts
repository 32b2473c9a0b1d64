/**
 * The options about the child's fds: stdin, stdout and stderr modes, the pty, the fd policy and
 * extra fds mapped into the child.
 * @module
 */
import { describeValue, invalidArgument, sysError } from "../os/errors.ts";
import { fdFlags } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import type { SpawnOptions } from "./options.ts";
import { validateRedirect } from "./redirect.ts";
import type { ValidOptions } from "./validate.ts";
import { isPlainObject, MAX_FD } from "./value_checks.ts";

/** The modes stdout takes (stdin has its own, stderr also "stdout"). */
export const STDIO_MODES: readonly string[] = ["capture", "piped", "inherit", "null"];

/** The modes stderr takes: stdout's, and "stdout" for `2>&1`. */
export const STDERR_MODES: readonly string[] = [...STDIO_MODES, "stdout"];

/** stdin: bytes to feed, a mode, or a redirect. */
export function validateStdin(stdin: SpawnOptions["stdin"]): ValidOptions["stdin"] {
  if (stdin === undefined) return "null";
  if (stdin === "null" || stdin === "inherit" || stdin === "piped") return stdin;
  if (stdin instanceof Uint8Array) return stdin;
  const redirect = validateRedirect(stdin, "stdin", false);
  if (redirect) return redirect;
  throw invalidArgument(
    "validate stdin",
    `stdin must be a Uint8Array, "null", "inherit", "piped", { file } or { fd }`,
    "encode text with new TextEncoder().encode(…)",
  );
}

/** An fd policy after validation. */
export type ValidFdPolicy =
  | { readonly kind: "cloexecOnly" }
  | { readonly kind: "closeFrom3" }
  | { readonly kind: "allow"; readonly fds: readonly number[] };

/** Which fds above 2 the child keeps: close-on-exec only, none, or an allowlist. */
export function validateFdPolicy(policy: SpawnOptions["fdPolicy"]): ValidFdPolicy {
  if (policy === undefined || policy === "cloexecOnly") return { kind: "cloexecOnly" };
  if (policy === "closeFrom3") return { kind: "closeFrom3" };
  if (typeof policy !== "object" || policy === null || !Array.isArray(policy.allow)) {
    throw invalidArgument(
      "validate fdPolicy",
      `fdPolicy must be "cloexecOnly", "closeFrom3" or { allow: [fds] }`,
      "",
    );
  }
  const seen = new Set<number>();
  for (const fd of policy.allow) {
    if (!Number.isInteger(fd) || fd < 3 || fd > MAX_FD) {
      throw invalidArgument(
        "validate fdPolicy",
        `allowlisted fd ${describeValue(fd)} is not an integer from 3 to ${MAX_FD}`,
        "0, 1 and 2 are always passed; list only open fds ≥ 3",
      );
    }
    if (seen.has(fd)) {
      throw invalidArgument("validate fdPolicy", `fd ${fd} is listed twice`, "list each fd once");
    }
    seen.add(fd);
    if (fdFlags(fd) < 0) {
      throw sysError("validate fdPolicy", libc().errno(), `fd ${fd} is not open in this process`);
    }
  }
  return { kind: "allow", fds: [...seen].sort((a, b) => a - b) };
}

/** The pty's size, and the stream modes a pty allows. */
export function validatePty(options: SpawnOptions): ValidOptions["pty"] {
  const pty = options.pty;
  if (pty === undefined) return null;
  const size = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 0xffff;
  if (
    !isPlainObject(pty) || Object.keys(pty).some((k) => k !== "columns" && k !== "rows") ||
    !size(pty.columns) || !size(pty.rows)
  ) {
    throw invalidArgument(
      "validate pty",
      `pty is ${describeValue(pty)}`,
      "use { columns: 80, rows: 24 }",
    );
  }
  const refuse = (what: string) => {
    throw invalidArgument(
      "validate pty",
      `${what} with pty`,
      "the pty is the child's stdin, stdout and stderr",
    );
  };
  const { stdin, stdout, stderr, pgroup } = options;
  if (stdin !== undefined && stdin !== "piped" && !(stdin instanceof Uint8Array)) {
    refuse(`stdin ${describeValue(stdin)}`);
  }
  if (stdout !== undefined && stdout !== "capture" && stdout !== "piped") {
    refuse(`stdout ${describeValue(stdout)}`);
  }
  if (stderr !== undefined && stderr !== "capture") refuse(`stderr ${describeValue(stderr)}`);
  if (pgroup !== undefined && pgroup !== "isolated") refuse(`pgroup ${describeValue(pgroup)}`);
  return { columns: pty.columns as number, rows: pty.rows as number };
}

/** Parent fds mapped to target fds in the child, each checked open. */
export function validateExtraFds(extra: unknown): ValidOptions["extraFds"] {
  if (extra === undefined) return [];
  if (!isPlainObject(extra)) {
    throw invalidArgument("validate extraFds", "extraFds must be a plain object", "e.g. { 3: fd }");
  }
  return Object.entries(extra).map(([key, source]) => {
    const target = Number(key);
    if (!Number.isInteger(target) || target < 3 || target > MAX_FD) {
      throw invalidArgument(
        "validate extraFds",
        `target fd ${key} is not an integer from 3 to ${MAX_FD}`,
        "0, 1 and 2 are stdin, stdout and stderr: use those options for them",
      );
    }
    if (!Number.isInteger(source) || (source as number) < 0 || (source as number) > MAX_FD) {
      throw invalidArgument(
        "validate extraFds",
        `extraFds[${key}] is ${describeValue(source)}`,
        "give an open fd",
      );
    }
    if (fdFlags(source as number) < 0) {
      throw sysError(
        "validate extraFds",
        libc().errno(),
        `fd ${source} is not open in this process`,
      );
    }
    return { target, source: source as number };
  }).sort((a, b) => a.target - b.target);
}
