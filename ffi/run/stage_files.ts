/**
 * Files a chain needs before its first stage: each written to a temporary name beside its
 * target, given its mode, then renamed over the target, so a reader sees the old file or the
 * whole new one and never a torn write.
 * @module
 */
import { toBytes } from "../os/cstrings.ts";
import { describeValue, fromRuntimeError, invalidArgument } from "../os/errors.ts";

/** One file to put in place before a chain runs. */
export interface StageFile {
  /** Where the file goes. Its directory must exist. */
  readonly path: string;
  /** The file's whole content. */
  readonly data: string | Uint8Array;
  /** Permission bits, e.g. `0o755` for a script (default `0o644`); set exactly, umask aside. */
  readonly mode?: number;
}

/** Writes every file atomically, in order; on failure, removes its temporary file and throws. */
export async function stageFiles(files: readonly StageFile[]): Promise<void> {
  if (!Array.isArray(files)) {
    throw invalidArgument(
      "validate stageFiles",
      `stageFiles is ${describeValue(files)}`,
      "give an array of { path, data, mode? }",
    );
  }
  const checked = files.map(validateStageFile);
  for (const file of checked) await writeAtomically(file);
}

function validateStageFile(file: StageFile, i: number): Required<StageFile> {
  const where = `stageFiles[${i}]`;
  if (typeof file?.path !== "string" || file.path === "" || file.path.endsWith("/")) {
    throw invalidArgument(`validate ${where}`, "path must name a file", "give a file path");
  }
  const mode = file.mode ?? 0o644;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw invalidArgument(
      `validate ${where}`,
      `mode ${describeValue(mode)} is not a permission`,
      "use e.g. 0o755",
    );
  }
  if (typeof file.data !== "string" && !(file.data instanceof Uint8Array)) {
    throw invalidArgument(`validate ${where}`, "data must be a string or Uint8Array", "");
  }
  return { path: file.path, data: file.data, mode };
}

async function writeAtomically(file: Required<StageFile>): Promise<void> {
  const slash = file.path.lastIndexOf("/");
  const dir = slash < 0 ? "." : file.path.slice(0, slash + 1);
  const base = file.path.slice(slash + 1);
  const tmp = `${dir}.${base}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeFile(tmp, toBytes(file.data), { createNew: true, mode: 0o600 });
    await Deno.chmod(tmp, file.mode);
    await Deno.rename(tmp, file.path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw fromRuntimeError(`stage file ${file.path}`, e);
  }
}
