/**
 * `coreshift fds [--pid N] [--json]`: the open fds of a process (this one by default) with what
 * each points at and whether exec would close it (`FD_CLOEXEC`, from `/proc/<pid>/fdinfo`).
 * @module
 */
import { libc } from "../ffi/os/libc.ts";
import { listProcDir, readProcLink, readProcText } from "../ffi/os/proc_files.ts";
import { parseFlags, USAGE_ERROR } from "./flags.ts";
import { paint, printError } from "./style.ts";

/** `coreshift fds --help`. */
export const FDS_HELP = `usage: coreshift fds [--pid N] [--json]

Lists the open fds of a process (default: this one) with their targets and close-on-exec flags.
An fd without close-on-exec leaks into every child spawned with the cloexecOnly policy.
`;

/** One open fd. */
export interface FdEntry {
  readonly fd: number;
  /** What `/proc/<pid>/fd/<n>` links to, e.g. `pipe:[1234]`, `/dev/null`. */
  readonly target: string;
  /** Whether exec closes it. */
  readonly cloexec: boolean;
}

/** The open fds of `pid`, sorted. Entries that vanish during the scan are left out. */
export function listFds(pid: number | "self"): FdEntry[] {
  const O_CLOEXEC = libc().abi.kernel.open.O_CLOEXEC;
  const out: FdEntry[] = [];
  // Through libc: Deno's fs ops refuse /proc/self without --allow-all.
  for (const name of listProcDir(`/proc/${pid}/fd`).names) {
    const fd = Number(name);
    try {
      const target = readProcLink(`/proc/${pid}/fd/${fd}`);
      const info = readProcText(`/proc/${pid}/fdinfo/${fd}`);
      const flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? "0", 8);
      out.push({ fd, target, cloexec: (flags & O_CLOEXEC) !== 0 });
    } catch { /* closed while we looked (the scan's own fd among them) */ }
  }
  return out.sort((a, b) => a.fd - b.fd);
}

/** Runs `coreshift fds`; returns the exit code. */
export function fdsCommand(args: readonly string[]): number {
  const values = parseFlags("fds", args, {
    pid: { type: "string" },
    json: { type: "boolean" },
  }, FDS_HELP);
  if (typeof values === "number") return values;
  const pid = values.pid as string | undefined;
  if (pid !== undefined && !/^[1-9]\d*$/.test(pid)) {
    printError("fds", `--pid "${pid}" is not a process id; give a positive number`);
    return USAGE_ERROR;
  }
  let entries: FdEntry[];
  try {
    entries = listFds(pid === undefined ? "self" : Number(pid));
  } catch (e) {
    printError("fds", `cannot read /proc/${pid}/fd: ${(e as Error).message}`);
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify(entries));
    return 0;
  }
  for (const { fd, target, cloexec } of entries) {
    const flag = cloexec ? paint("dim", "cloexec  ") : paint("yellow", "inherited");
    console.log(`${String(fd).padStart(4)}  ${flag}  ${target}`);
  }
  return 0;
}
