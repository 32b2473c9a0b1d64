/**
 * Redirections: a child's stdin from a file, stdout or stderr to a file (created, truncated or
 * appended to), any of them to an fd the caller owns, and stderr merged into stdout (`2>&1`).
 * The parent opens files itself, close-on-exec, so a bad path is a typed error naming it before
 * any child exists, and no other child inherits them; the child gets them through the same dup
 * onto 0, 1, 2 as its pipes. Every open is non-blocking (then made blocking again for the child):
 * a FIFO without its other end, or a device waiting for carrier, would otherwise stop this
 * thread, and with it Deno's event loop and every timeout, inside `open()`.
 * @module
 */
import { cString } from "../os/cstrings.ts";
import { describeValue, invalidArgument, sysError } from "../os/errors.ts";
import { clearNonblocking, closeFd, dupCloexec, fdFlags } from "../os/fds.ts";
import { libc } from "../os/libc.ts";

/** A file or caller fd, validated. */
export type Redirect =
  | {
    readonly kind: "file";
    readonly path: string;
    readonly write: boolean;
    readonly append: boolean;
    readonly create: boolean;
    readonly mode: number;
  }
  | { readonly kind: "fd"; readonly fd: number };

/** Whether `value` is a redirection object (`{ file }` or `{ fd }`) rather than a mode. */
export function isRedirect(value: unknown): value is Redirect {
  return typeof value === "object" && value !== null && "kind" in value;
}

/**
 * Validates `{ file, append?, create?, mode? }` or `{ fd }` for stream `name`; null when `value`
 * is not an object (a mode string, checked by the caller).
 */
export function validateRedirect(value: unknown, name: string, write: boolean): Redirect | null {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return null;
  const keys = Object.keys(value);
  const op = `validate ${name}`;
  if ("fd" in value) {
    const fd = (value as { fd: unknown }).fd;
    if (
      keys.length !== 1 || !Number.isInteger(fd) || (fd as number) < 0 ||
      (fd as number) > 2 ** 31 - 1
    ) {
      throw invalidArgument(op, `${name}: { fd } must hold one fd number ≥ 0`, "e.g. { fd: 5 }");
    }
    if (fdFlags(fd as number) < 0) {
      throw sysError(op, libc().errno(), `${name}: fd ${fd} is not open in this process`);
    }
    return { kind: "fd", fd: fd as number };
  }
  const allowed = write ? ["file", "append", "create", "mode"] : ["file"];
  const file = (value as { file?: unknown }).file;
  const unknown = keys.find((k) => !allowed.includes(k));
  if (typeof file !== "string" || file.length === 0 || file.includes("\0") || unknown) {
    throw invalidArgument(
      op,
      `${name} is ${describeValue(value)}`,
      write
        ? `use { file: "path", append?: boolean, create?: boolean, mode?: 0o644 } or { fd: n }`
        : `use { file: "path" } or { fd: n }`,
    );
  }
  const o = value as { append?: unknown; create?: unknown; mode?: unknown };
  const flag = (v: unknown, key: string, fallback: boolean) => {
    if (v === undefined) return fallback;
    if (typeof v === "boolean") return v;
    throw invalidArgument(op, `${name}.${key} must be true or false`, "");
  };
  const mode = o.mode ?? 0o644;
  if (!Number.isInteger(mode) || (mode as number) < 0 || (mode as number) > 0o7777) {
    throw invalidArgument(
      op,
      `${name}.mode is ${describeValue(o.mode)}`,
      "give permission bits, e.g. 0o644",
    );
  }
  return {
    kind: "file",
    path: file,
    write,
    append: flag(o.append, "append", false),
    create: flag(o.create, "create", true),
    mode: mode as number,
  };
}

/**
 * A close-on-exec fd above 2 for `r`, owned by the caller: the file opened (relative paths
 * against this process's cwd), or a copy of the caller's fd (so a source among 0–2 is never
 * overwritten by another stream's dup).
 */
export function openRedirect(r: Redirect): number {
  if (r.kind === "fd") return dupCloexec(r.fd, "redirect fd");
  const c = libc();
  const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, O_CLOEXEC, O_NONBLOCK } =
    c.abi.kernel.open;
  const flags = !r.write
    ? O_RDONLY
    : O_WRONLY | (r.create ? O_CREAT : 0) | (r.append ? O_APPEND : O_TRUNC);
  const path = cString(new TextEncoder().encode(r.path));
  const opened = c.symbols.open(path, flags | O_CLOEXEC | O_NONBLOCK, r.mode);
  if (opened < 0) throw openError(r, c.errno());
  let fd: number;
  try {
    fd = opened > 2 ? opened : dupCloexec(opened, "open redirect");
  } finally {
    if (opened <= 2) closeFd(opened);
  }
  try {
    clearNonblocking(fd, "open redirect");
  } catch (e) {
    closeFd(fd);
    throw e;
  }
  return fd;
}

function openError(r: Redirect & { kind: "file" }, errno: number) {
  const { ENXIO } = libc().abi.kernel.common.errno;
  const what = `cannot open ${JSON.stringify(r.path)} for ${r.write ? "writing" : "reading"}`;
  // A FIFO opened for writing without blocking says ENXIO while nobody has it open for reading.
  const detail = errno === ENXIO && r.write
    ? `${what}: no process has this FIFO open for reading; start its reader first`
    : what;
  return sysError("open redirect", errno, detail, r.path);
}
