/**
 * The posix_spawn backend: performs a {@linkcode PosixSpawnCall} with libc through FFI.
 * @module
 */
import { cString } from "../cstrings.ts";
import { sysError } from "../errors.ts";
import { closeFd, dupCloexec, fdFlags, listOpenFds } from "../fds.ts";
import { type Libc, libc } from "../libc.ts";
import type { PosixSpawnCaps } from "./capabilities.ts";
import type { SpawnPlan } from "./plan.ts";
import { type FileAction, needsFdScan, planPosixSpawnCall } from "./posix_spawn_call.ts";
import type { ChildStdio } from "./stdio.ts";

const DEV_NULL = cString(new TextEncoder().encode("/dev/null"));

let signalSets: { empty: Uint8Array; defaults: Uint8Array } | undefined;

/** The child's signal mask (empty) and the signals reset to default (all but KILL and STOP). */
function childSignalSets(c: Libc): { empty: Uint8Array; defaults: Uint8Array } {
  if (signalSets) return signalSets;
  const empty = new Uint8Array(c.abi.sizes.sigset);
  const defaults = new Uint8Array(c.abi.sizes.sigset);
  const { SIGKILL, SIGSTOP } = c.abi.kernel.common.signals;
  c.symbols.sigemptyset(empty);
  c.symbols.sigfillset(defaults);
  c.symbols.sigdelset(defaults, SIGKILL);
  c.symbols.sigdelset(defaults, SIGSTOP);
  return signalSets = { empty, defaults };
}

/** Spawns `plan` with posix_spawn; returns the pid. Owns nothing afterwards but the child. */
export function posixSpawn(plan: SpawnPlan, stdio: ChildStdio, caps: PosixSpawnCaps): number {
  const c = libc();
  const s = c.symbols;
  const keepCopies = new Map<number, number>();
  try {
    if (plan.fdPolicy.kind === "allow") {
      const { FD_CLOEXEC } = c.abi.kernel.common.fcntl;
      for (const fd of plan.fdPolicy.fds) {
        if (fdFlags(fd) & FD_CLOEXEC) keepCopies.set(fd, dupCloexec(fd, "keep allowlisted fd"));
      }
    }
    const call = planPosixSpawnCall({
      abi: c.abi,
      caps,
      child: stdio.child,
      pgroup: plan.pgroup,
      fdPolicy: plan.fdPolicy,
      cwd: plan.cwd,
      openFds: needsFdScan(plan.fdPolicy, caps) ? listOpenFds() : null,
      keepCopies,
    });

    const attr = new Uint8Array(c.abi.sizes.posixSpawnattr);
    check(s.posix_spawnattr_init!(attr), "posix_spawnattr_init");
    try {
      const sets = childSignalSets(c);
      check(s.posix_spawnattr_setflags!(attr, call.flags), "posix_spawnattr_setflags");
      check(s.posix_spawnattr_setsigmask!(attr, sets.empty), "posix_spawnattr_setsigmask");
      check(s.posix_spawnattr_setsigdefault!(attr, sets.defaults), "posix_spawnattr_setsigdefault");
      if (call.pgroup !== null) {
        check(s.posix_spawnattr_setpgroup!(attr, call.pgroup), "posix_spawnattr_setpgroup");
      }
      const actions = new Uint8Array(c.abi.sizes.posixSpawnFileActions);
      check(s.posix_spawn_file_actions_init!(actions), "posix_spawn_file_actions_init");
      try {
        for (const action of call.actions) addAction(c, actions, action);
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
        s.posix_spawn_file_actions_destroy!(actions);
      }
    } finally {
      s.posix_spawnattr_destroy!(attr);
    }
  } finally {
    for (const copy of keepCopies.values()) closeFd(copy);
  }
}

function addAction(c: Libc, actions: Uint8Array, action: FileAction): void {
  const s = c.symbols;
  switch (action.op) {
    case "dup2":
      return check(
        s.posix_spawn_file_actions_adddup2!(actions, action.fd, action.newfd),
        "adddup2",
      );
    case "openDevNull":
      return check(
        s.posix_spawn_file_actions_addopen!(actions, action.fd, DEV_NULL, action.flags, 0),
        "addopen /dev/null",
      );
    case "close":
      return check(s.posix_spawn_file_actions_addclose!(actions, action.fd), "addclose");
    case "closefrom":
      return check(
        s.posix_spawn_file_actions_addclosefrom_np!(actions, action.fd),
        "addclosefrom_np",
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
