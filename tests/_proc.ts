/**
 * What this process holds, read from /proc: its open fds and its children (zombies included).
 * @module
 */

/** The fds this process has open (the scan's own handle excluded). */
export function openFds(): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc/self/fd")) out.push(Number(e.name));
  // The directory handle used for the scan is already closed: drop the number that no longer resolves.
  return out.filter((fd) => {
    try {
      Deno.readLinkSync(`/proc/self/fd/${fd}`);
      return true;
    } catch {
      return false;
    }
  }).sort((a, b) => a - b);
}

/** Pids of this process's children, zombies included, from /proc/self/task/<tid>/children. */
export function childPids(): number[] {
  const out: number[] = [];
  for (const task of Deno.readDirSync("/proc/self/task")) {
    try {
      const text = Deno.readTextFileSync(`/proc/self/task/${task.name}/children`).trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch { /* thread ended during the scan */ }
  }
  return out.sort((a, b) => a - b);
}

/** Whether `pid` is a live process: it exists and is not a zombie awaiting its reaper. */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
