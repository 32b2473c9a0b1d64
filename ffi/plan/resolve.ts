/**
 * Finds the program in the parent, like Go's LookPath, so "not found" and "not executable" are
 * exact everywhere, including bionic, where a failed exec in the child only shows as exit 127.
 * @module
 */
import { CoreError, sysError } from "../os/errors.ts";
import { directoryErrno } from "../os/fds.ts";
import { cString } from "../os/cstrings.ts";
import { libc } from "../os/libc.ts";

const SLASH = 0x2f;
const COLON = 0x3a;
const decoder = new TextDecoder();

/** Used when neither the child's env nor this process has PATH. */
export const DEFAULT_PATH: Uint8Array = new TextEncoder().encode("/usr/local/bin:/usr/bin:/bin");

/**
 * The path to execute for `program`: itself when it contains `/` (joined to `cwd` when
 * relative), else the first executable regular file named `program` in `searchPath`.
 * Relative PATH entries are skipped: they would resolve against a directory nobody chose.
 * With `checkExplicitPath` false a path is returned unchecked, for backends whose child
 * reports a failed execve exactly.
 */
export function resolveProgram(
  program: Uint8Array,
  cwd: Uint8Array | null,
  searchPath: () => Uint8Array,
  checkExplicitPath = true,
): Uint8Array {
  if (program.includes(SLASH)) {
    const path = cwd && program[0] !== SLASH ? join(cwd, program) : program;
    if (!checkExplicitPath) return path;
    const problem = probe(path);
    if (problem) throw problemError(path, problem);
    return path;
  }
  const pathVar = searchPath(); // only now: a path with "/" needs no PATH
  let firstProblem: { path: Uint8Array; problem: Problem } | undefined;
  for (const dir of split(pathVar)) {
    if (dir[0] !== SLASH) continue;
    const path = join(dir, program);
    const problem = probe(path);
    if (!problem) return path;
    if (problem.kind !== "missing") firstProblem ??= { path, problem };
  }
  if (firstProblem) throw problemError(firstProblem.path, firstProblem.problem);
  throw new CoreError(
    "ENOENT",
    "resolve program",
    `"${decoder.decode(program)}" not found in PATH (${decoder.decode(pathVar)}); ` +
      "install it, fix PATH, or pass an absolute path",
    { errno: libc().abi.kernel.common.errno.ENOENT, path: decoder.decode(program) },
  );
}

type Problem = { kind: "missing" | "notExecutable" | "directory"; errno: number };

/** Why `path` cannot be executed, or undefined if it can. */
function probe(path: Uint8Array): Problem | undefined {
  const c = libc();
  const { errno, access } = c.abi.kernel.common;
  const p = cString(path);
  if (c.symbols.access(p, access.X_OK) !== 0) {
    const e = c.errno();
    return { kind: e === errno.EACCES ? "notExecutable" : "missing", errno: e };
  }
  // execve refuses a directory with EACCES; say which it is.
  if (directoryErrno(p) === 0) return { kind: "directory", errno: errno.EACCES };
  return undefined;
}

function problemError(path: Uint8Array, problem: Problem): CoreError {
  const text = decoder.decode(path);
  const shown = JSON.stringify(text);
  const why = {
    directory: `${shown} is a directory, not a program`,
    notExecutable:
      `${shown} is not executable by this user; chmod +x it or run it through its interpreter`,
    missing: `${shown} does not exist`,
  }[problem.kind];
  return sysError("resolve program", problem.errno, why, text);
}

function join(dir: Uint8Array, name: Uint8Array): Uint8Array {
  const trailing = dir[dir.length - 1] === SLASH;
  const out = new Uint8Array(dir.length + (trailing ? 0 : 1) + name.length);
  out.set(dir);
  if (!trailing) out[dir.length] = SLASH;
  out.set(name, out.length - name.length);
  return out;
}

function* split(searchPath: Uint8Array): Generator<Uint8Array> {
  let start = 0;
  for (let i = 0; i <= searchPath.length; i++) {
    if (i === searchPath.length || searchPath[i] === COLON) {
      if (i > start) yield searchPath.subarray(start, i);
      start = i + 1;
    }
  }
}
