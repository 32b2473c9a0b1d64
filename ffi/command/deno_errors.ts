/**
 * A failed start as Deno.Command reports it: `Deno.errors.NotFound`, `PermissionDenied`, … with
 * "Failed to spawn 'x': <what the OS said> (os error N)", and `TypeError` for a bad option.
 * Failures Deno has no word for (coreshift's own options: an output cap, an unsupported
 * backend) stay `CoreError`s.
 * @module
 */
import { CoreError } from "../os/errors.ts";

/** Deno's error class per errno name, as Rust's `io::ErrorKind` sorts them. */
const CLASS_BY_ERRNO: Readonly<Record<string, new (message: string) => Error>> = {
  ENOENT: Deno.errors.NotFound,
  EACCES: Deno.errors.PermissionDenied,
  EPERM: Deno.errors.PermissionDenied,
  ENOTDIR: Deno.errors.NotADirectory,
  EISDIR: Deno.errors.IsADirectory,
  EEXIST: Deno.errors.AlreadyExists,
  ELOOP: Deno.errors.FilesystemLoop,
  EBUSY: Deno.errors.Busy,
};

/** What Rust's std prints for an errno (`strerror`'s words), for the ones a start meets. */
const OS_WORDS: Readonly<Record<string, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  E2BIG: "Argument list too long",
  ENOEXEC: "Exec format error",
  EACCES: "Permission denied",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EMFILE: "Too many open files",
  ETXTBSY: "Text file busy",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  ENOMEM: "Cannot allocate memory",
};

/** The error Deno.Command would throw for `e`, met while starting `command`. */
export function asDenoError(e: unknown, command: string): unknown {
  if (!(e instanceof CoreError)) return e;
  if (e.code === "InvalidArgument") return new TypeError(e.message, { cause: e });
  if (e.errno === undefined) return e;
  const prefix = `Failed to spawn '${command}'`;
  // A name looked up in PATH and not found: Deno says "entity not found".
  if (e.code === "ENOENT" && e.op === "resolve program") {
    return new Deno.errors.NotFound(`${prefix}: entity not found`, { cause: e });
  }
  const words = `${OS_WORDS[e.code] ?? e.code} (os error ${e.errno})`;
  const Class = CLASS_BY_ERRNO[e.code] ?? Error;
  const error = new Class(`${prefix}: ${words}`);
  (error as Error).cause = e;
  return error;
}

/** The TypeError Deno throws for a stream that was not asked to be piped. */
export function notPiped(name: "stdin" | "stdout" | "stderr"): TypeError {
  return new TypeError(`Cannot get '${name}': '${name}' is not piped`);
}

/** The TypeError Deno throws from `output()` when a piped stream is already being read. */
export function notCollectable(name: "stdout" | "stderr"): TypeError {
  return new TypeError(`Can't collect output because ${name} is locked`);
}
