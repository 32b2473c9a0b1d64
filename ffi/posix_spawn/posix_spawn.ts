/**
 * The posix_spawn backend: performs a {@linkcode PosixSpawnCall} with libc through FFI.
 * @module
 */
import { cString } from "../os/cstrings.ts";
import { sysError } from "../os/errors.ts";
import { closeFd, devNullFd, dupCloexec, fdFlags, listOpenFds } from "../os/fds.ts";
import { type Libc, libc } from "../os/libc.ts";
import type { PosixSpawnCaps } from "../platform/capabilities.ts";
import type { StartPlan } from "../plan/plan.ts";
import { type FileAction, needsFdScan, planPosixSpawnCall } from "./posix_spawn_call.ts";
import type { ChildFds } from "../plan/child_fds.ts";

/**
 * Spawn attributes depend only on (flags, pgroup), so each combination is prepared once and
 * reused: six libc calls fewer per spawn. At most a handful exist; they live as long as the
 * process (bionic mallocs them, glibc does not, neither needs destroy for reuse).
 */
const attrCache = new Map<string, Uint8Array>();

function preparedAttr(c: Libc, flags: number, pgroup: number | null): Uint8Array {
  const key = `${flags}:${pgroup}`;
  const cached = attrCache.get(key);
  if (cached) return cached;
  const s = c.symbols;
  const attr = new Uint8Array(c.abi.sizes.posixSpawnattr);
  // The child's signal mask is empty; every signal but KILL and STOP goes back to default.
  const empty = new Uint8Array(c.abi.sizes.sigset);
  const defaults = new Uint8Array(c.abi.sizes.sigset);
  const { SIGKILL, SIGSTOP } = c.abi.kernel.common.signals;
  s.sigemptyset(empty);
  s.sigfillset(defaults);
  s.sigdelset(defaults, SIGKILL);
  s.sigdelset(defaults, SIGSTOP);
  check(s.posix_spawnattr_init!(attr), "posix_spawnattr_init");
  try {
    check(s.posix_spawnattr_setflags!(attr, flags), "posix_spawnattr_setflags");
    check(s.posix_spawnattr_setsigmask!(attr, empty), "posix_spawnattr_setsigmask");
    check(s.posix_spawnattr_setsigdefault!(attr, defaults), "posix_spawnattr_setsigdefault");
    if (pgroup !== null) {
      check(s.posix_spawnattr_setpgroup!(attr, pgroup), "posix_spawnattr_setpgroup");
    }
  } catch (e) {
    s.posix_spawnattr_destroy!(attr);
    throw e;
  }
  attrCache.set(key, attr);
  return attr;
}

/** Spawns `plan` with posix_spawn; returns the pid. Owns nothing afterwards but the child. */
export function posixSpawn(plan: StartPlan, stdio: ChildFds, caps: PosixSpawnCaps): number {
  const c = libc();
  const s = c.symbols;
  const keepCopies = new Map<number, number>();
  try {
    if (plan.fdPolicy.kind === "allow") {
      const { FD_CLOEXEC } = c.abi.kernel.common.fcntl;
      const fds = plan.fdPolicy.fds;
      for (let i = 0; i < fds.length; i++) {
        if (fdFlags(fds[i]) & FD_CLOEXEC) {
          keepCopies.set(fds[i], dupCloexec(fds[i], "keep allowlisted fd"));
        }
      }
    }
    // extraFds: dup2(copy, target) in the child, as for a kept close-on-exec fd.
    for (let i = 0; i < stdio.extra.length; i++) {
      keepCopies.set(stdio.extra[i][1], stdio.extra[i][0]);
    }
    const call = planPosixSpawnCall({
      abi: c.abi,
      caps,
      child: stdio.child,
      devNull: stdio.child.includes("null") ? devNullFd() : -1,
      pgroup: plan.pgroup,
      fdPolicy: plan.fdPolicy,
      cwd: plan.cwd,
      openFds: needsFdScan(plan.fdPolicy, caps, keepCopies.size > 0) ? listOpenFds() : null,
      keepCopies,
      controllingTty: stdio.ptyPath === null ? null : new TextEncoder().encode(stdio.ptyPath),
    });

    const attr = preparedAttr(c, call.flags, call.pgroup);
    const actions = fileActions(c, call.actions);
    try {
      const pid = new Int32Array(1);
      const envp = plan.envp?.pointer ?? new Deno.UnsafePointerView(s.environ!).getPointer();
      const rc = s.posix_spawn!(
        new Uint8Array(pid.buffer),
        plan.path,
        actions,
        attr,
        plan.argv.pointer,
        envp,
      );
      if (rc !== 0) throw sysError("posix_spawn", rc, spawnHint(rc, c));
      return pid[0];
    } finally {
      if (actions) s.posix_spawn_file_actions_destroy!(actions);
    }
  } finally {
    // The extraFds copies belong to stdio, which closes them with the child's other ends.
    const owned = (copy: number) => stdio.extra.some((extra) => extra[0] === copy);
    keepCopies.forEach((copy) => owned(copy) || closeFd(copy));
  }
}

/** A filled `posix_spawn_file_actions_t`, or null when there is nothing to do in the child. */
function fileActions(c: Libc, list: readonly FileAction[]): Uint8Array | null {
  if (list.length === 0) return null;
  const actions = new Uint8Array(c.abi.sizes.posixSpawnFileActions);
  check(c.symbols.posix_spawn_file_actions_init!(actions), "posix_spawn_file_actions_init");
  try {
    for (let i = 0; i < list.length; i++) addAction(c, actions, list[i]);
  } catch (e) {
    c.symbols.posix_spawn_file_actions_destroy!(actions);
    throw e;
  }
  return actions;
}

function addAction(c: Libc, actions: Uint8Array, action: FileAction): void {
  const s = c.symbols;
  switch (action.op) {
    case "dup2":
      return check(
        s.posix_spawn_file_actions_adddup2!(actions, action.fd, action.newfd),
        "adddup2",
      );
    case "close":
      return check(s.posix_spawn_file_actions_addclose!(actions, action.fd), "addclose");
    case "closefrom":
      return check(
        s.posix_spawn_file_actions_addclosefrom_np!(actions, action.fd),
        "addclosefrom_np",
      );
    case "open":
      return check(
        s.posix_spawn_file_actions_addopen!(
          actions,
          action.fd,
          cString(action.path),
          action.flags,
          0,
        ),
        "addopen",
      );
    case "chdir":
      return check(
        s.posix_spawn_file_actions_addchdir_np!(actions, cString(action.path)),
        "addchdir_np",
      );
  }
}

function check(rc: number, op: string): void {
  if (rc !== 0) throw sysError(op, rc);
}

function spawnHint(errno: number, c: Libc): string {
  const e = c.abi.kernel.common.errno;
  if (errno === e.ENOEXEC) return "the file is not a binary this kernel can run; add a #! line";
  if (errno === e.EAGAIN) return "process limit reached (ulimit -u)";
  if (errno === e.ENOMEM) return "out of memory";
  return "";
}
