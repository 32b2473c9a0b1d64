/**
 * Every fd a spawn makes for its child before the backend runs: the pipes (or pty) of its
 * standard streams, the copies behind `extraFds`, and the Landlock ruleset. Pipe ends are
 * close-on-exec (the child gets its ends through dup2 onto 0/1/2, which clears the flag); only
 * the parent's ends are non-blocking, since a child whose stdout is non-blocking fails ordinary
 * programs with EAGAIN.
 * @module
 */
import { cloexecPipe, closeFd, dupCloexec, setNonblocking } from "../os/fds.ts";
import { isRedirect, openRedirect } from "../options/redirect.ts";
import { createRuleset } from "../confine/landlock.ts";
import { openPty } from "../os/pty.ts";
import { hostPlatform } from "../platform/platform.ts";
import type { StartPlan } from "./plan.ts";

/** What the child gets as one of fds 0, 1, 2: a pipe end to dup2, /dev/null, or ours. */
export type ChildEnd = number | "null" | "inherit";

/**
 * The fds of one spawn: the child's 0, 1, 2, the parent's ends, extra fds, the pty's path and the
 * Landlock ruleset. `-1` marks a parent end that does not exist.
 */
export class ChildFds {
  /** Child's fds 0, 1, 2. */
  readonly child: [ChildEnd, ChildEnd, ChildEnd] = ["null", "null", "null"];
  /** Parent's write end of the child's stdin. */
  stdin = -1;
  /** Parent's read end of the child's stdout. */
  stdout = -1;
  /** Parent's read end of the child's stderr. */
  stderr = -1;
  /**
   * `extraFds` as `[copy, target]`: close-on-exec copies of the sources numbered above every
   * target, so the child's dups onto the targets never overwrite a source still to be used.
   */
  readonly extra: [number, number][] = [];
  /** The Landlock ruleset the child restricts itself with (`confine.landlock`), or -1. */
  landlockFd = -1;
  /** The pty slave's path, which posix_spawn reopens to make it the controlling terminal. */
  ptyPath: string | null = null;
  /**
   * A copy of the pty master held until the child is reaped (`closeAll`), or -1. The master's
   * last close hangs the terminal up, which sends SIGHUP to its session: a child that closed its
   * 0, 1 and 2 (the reader's end of output) but has not exited yet would die of it.
   */
  ptyMaster = -1;

  /**
   * Opens the pipes and redirections `plan` asks for; on failure closes what it opened and
   * rethrows. Every fd in `child` is this object's own (a caller's fd is copied), so closing
   * them never touches the caller's.
   */
  static open(
    plan: Pick<StartPlan, "stdin" | "stdout" | "stderr" | "extraFds" | "confine" | "pty">,
  ): ChildFds {
    const stdio = new ChildFds();
    try {
      if (plan.confine?.landlock) {
        stdio.landlockFd = createRuleset(plan.confine.landlock, hostPlatform());
      }
      const above = (plan.extraFds.at(-1)?.target ?? 2) + 1;
      for (let i = 0; i < plan.extraFds.length; i++) {
        const { source, target } = plan.extraFds[i];
        stdio.extra.push([dupCloexec(source, "map extra fd", above), target]);
      }
      if (plan.pty) stdio.#openPty(plan);
      else stdio.#openStreams(plan);
      return stdio;
    } catch (e) {
      stdio.closeAll();
      throw e;
    }
  }

  /** Pipes, redirections and modes for 0, 1 and 2, as `plan` asks. */
  #openStreams(plan: Pick<StartPlan, "stdin" | "stdout" | "stderr">): void {
    const stdin = plan.stdin;
    if (stdin instanceof Uint8Array || stdin === "piped") {
      const pipe = cloexecPipe("create pipe");
      this.child[0] = pipe[0];
      this.stdin = pipe[1];
      setNonblocking(pipe[1], "stdin pipe");
    } else this.child[0] = isRedirect(stdin) ? openRedirect(stdin) : stdin;
    this.#openOutput(1, plan.stdout);
    this.#openOutput(2, plan.stderr);
  }

  /** The child's stdout (`index` 1) or stderr (2) as `mode` asks. */
  #openOutput(index: 1 | 2, mode: StartPlan["stdout"] | StartPlan["stderr"]): void {
    if (mode === "stdout") this.child[2] = this.#mergedIntoStdout();
    else if (isRedirect(mode)) this.child[index] = openRedirect(mode);
    else if (mode !== "capture" && mode !== "piped") this.child[index] = mode;
    else {
      const pipe = cloexecPipe("create pipe");
      this.child[index] = pipe[1];
      if (index === 1) this.stdout = pipe[0];
      else this.stderr = pipe[0];
      setNonblocking(pipe[0], index === 1 ? "stdout pipe" : "stderr pipe");
    }
  }

  /**
   * A pty: its slave on the child's 0, 1 and 2; the master is read as stdout (stderr comes
   * with it) and, when the child is fed, written through a copy as stdin.
   */
  #openPty(plan: Pick<StartPlan, "stdin" | "pty">): void {
    const { master, slave, path } = openPty(plan.pty!.columns, plan.pty!.rows);
    this.stdout = master;
    this.ptyPath = path;
    this.child[0] = slave;
    setNonblocking(master, "pty master");
    this.ptyMaster = dupCloexec(master, "pty master");
    this.child[1] = dupCloexec(slave, "pty slave");
    this.child[2] = dupCloexec(slave, "pty slave");
    if (plan.stdin instanceof Uint8Array || plan.stdin === "piped") {
      this.stdin = dupCloexec(master, "pty master");
    }
  }

  /** `2>&1`: the child's stderr is a copy of whatever its stdout is. */
  #mergedIntoStdout(): ChildEnd {
    const out = this.child[1];
    if (out === "null") return "null";
    return dupCloexec(out === "inherit" ? 1 : out, "merge stderr into stdout");
  }

  /** Closes the child's ends in the parent, once the child holds its copies. */
  closeChildEnds(): void {
    for (let i = 0; i < 3; i++) {
      const end = this.child[i];
      if (typeof end === "number") closeFd(end);
      this.child[i] = "null";
    }
    for (let i = 0; i < this.extra.length; i++) closeFd(this.extra[i][0]);
    this.extra.length = 0;
    if (this.landlockFd >= 0) closeFd(this.landlockFd);
    this.landlockFd = -1;
  }

  /**
   * Lets the pty's held master go: once the reader's and the writer's copies are closed too, the
   * terminal hangs up and the child's session gets SIGHUP, a pty's counterpart of a broken pipe.
   */
  releasePtyMaster(): void {
    if (this.ptyMaster >= 0) closeFd(this.ptyMaster);
    this.ptyMaster = -1;
  }

  /** Closes every fd this object still owns. */
  closeAll(): void {
    this.closeChildEnds();
    if (this.stdin >= 0) closeFd(this.stdin);
    if (this.stdout >= 0) closeFd(this.stdout);
    if (this.stderr >= 0) closeFd(this.stderr);
    this.stdin = this.stdout = this.stderr = -1;
    this.releasePtyMaster();
  }
}
