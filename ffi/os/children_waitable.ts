/**
 * Children must stay waitable. A process whose SIGCHLD is ignored (SIG_IGN survives execve, and
 * some supervisors and shells leave it so) or carries `SA_NOCLDWAIT` has every child reaped by the
 * kernel the moment it exits: `wait4` then fails with ECHILD and no exit status can be had. At the
 * first start coreshift puts SIGCHLD back to its default action (which also discards the signal,
 * but keeps zombies for their parent), or clears `SA_NOCLDWAIT` from a handler someone installed.
 * The rest of the program then sees ordinary POSIX semantics: its own children wait to be
 * reaped, as `Deno.Command` and every waiting API expect. docs/design.md says why.
 * @module
 */
import { sysError } from "./errors.ts";
import { libc } from "./libc.ts";

let done = false;

/** Makes this process's children waitable (once per process; the disposition is process-wide). */
export function keepChildrenWaitable(): void {
  if (done) return;
  const c = libc();
  const layout = c.abi.sigaction;
  const { disposition, signals } = c.abi.kernel.common;
  const action = new Uint8Array(layout.size);
  if (c.symbols.sigaction(signals.SIGCHLD, null, action) !== 0) {
    throw sysError("sigaction SIGCHLD", c.errno());
  }
  const view = new DataView(action.buffer);
  const handler = view.getBigUint64(layout.handlerOffset, true);
  const flags = view.getInt32(layout.flagsOffset, true);
  let replacement: Uint8Array | null = null;
  if (handler === BigInt(disposition.SIG_IGN)) {
    replacement = new Uint8Array(layout.size); // SIG_DFL, no flags, an empty mask
  } else if ((flags & disposition.SA_NOCLDWAIT) !== 0) {
    view.setInt32(layout.flagsOffset, flags & ~disposition.SA_NOCLDWAIT, true);
    replacement = action; // the same handler, mask and restorer, zombies kept
  }
  if (replacement && c.symbols.sigaction(signals.SIGCHLD, replacement, null) !== 0) {
    throw sysError("sigaction SIGCHLD", c.errno());
  }
  done = true;
}
