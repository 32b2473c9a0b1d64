/**
 * The fork and vfork backends: fill the native helper's request from a plan and the child's
 * stdio, call it, and turn a failed child step into a `CoreError` naming the step and errno.
 * @module
 */
import { syscallAllowed } from "../platform/syscall_gate.ts";
import { cString, cStringArray } from "../os/cstrings.ts";
import { CoreError, errnoName, sysError } from "../os/errors.ts";
import { cloexecPipe, closeFd, devNullFd, dupCloexec } from "../os/fds.ts";
import { CLOSE_ABOVE2, PGROUP, SET_IDS } from "../abi/helper_request.ts";
import { type Libc, libc } from "../os/libc.ts";
import { nativeHelper } from "./loader.ts";
import { HelperRequest } from "./request.ts";
import { acquireStack, releaseStack, type VforkStack, vforkStack } from "./stack.ts";
import { CHILD_STEP_HINTS, CHILD_STEPS } from "./steps.ts";
import type { Platform } from "../platform/platform.ts";
import { reap } from "../platform/process_control.ts";
import type { StartPlan } from "../plan/plan.ts";
import type { ChildEnd } from "../plan/child_fds.ts";
import type { ValidFdPolicy } from "../options/validate_streams.ts";

const RLIM_INFINITY = 0xffffffffffffffffn;

/** What the child does about fds above 2. */
export interface ChildFdWork {
  /** How fds above 2 that are not kept get closed. */
  readonly closeAbove2: "none" | "byRange" | "byScan";
  /** Fds to keep across exec (their CLOEXEC flag cleared in the child). */
  readonly keep: readonly number[];
}

/**
 * Decides the child's fd work. Both closing policies run in the child, so an fd another thread
 * opens meanwhile is closed too: close_range around the kept fds where the platform's syscall
 * gate allows it (never on Android below API 33: seccomp would kill the child with SIGSYS),
 * else a scan by the child itself: a zero-timeout ppoll over its fd table (FDSize from
 * /proc/self/status) finds the open fds, and a getdents64 walk of /proc/self/fd replaces it
 * for tables too large to check number by number. (The parent's scan this replaced is measured
 * in docs/performance.md, bench case "fds".)
 */
export function childFdWork(policy: ValidFdPolicy, platform: Platform): ChildFdWork {
  if (policy.kind === "cloexecOnly") return { closeAbove2: "none", keep: [] };
  const closeAbove2 = syscallAllowed("close_range", platform) ? "byRange" : "byScan";
  return { closeAbove2, keep: policy.kind === "allow" ? policy.fds : [] };
}

/** A filled request and the buffers it points at, which must outlive the call. */
interface BuiltRequest {
  readonly req: HelperRequest;
  readonly pointees: readonly unknown[];
}

/** What the child gets as its fds: 0, 1, 2, and `extraFds` as `[copy, target]`. */
export interface ChildFds {
  readonly child: readonly [ChildEnd, ChildEnd, ChildEnd];
  readonly extra: readonly (readonly [number, number])[];
  /** The Landlock ruleset to restrict the child with, or -1. */
  readonly landlockFd?: number;
}

function buildRequest(
  c: Libc,
  req: HelperRequest,
  plan: StartPlan,
  { child, extra, landlockFd = -1 }: ChildFds,
  platform: Platform,
): BuiltRequest {
  const cwd = plan.cwd ? cString(plan.cwd) : null;
  const fds = childFdWork(plan.fdPolicy, platform);
  const keep = extra.length ? [...fds.keep, ...extra.map(([, target]) => target)] : fds.keep;
  // Only what is non-empty gets an array: each typed array costs Deno most of a microsecond.
  const keepList = keep.length ? new Int32Array(keep) : null;
  const extraList = extra.length ? new Int32Array(extra.flat()) : null;
  const rlimits = plan.rlimits.length
    ? encodeRlimits(c, plan, c.abi.helperRequest.rlimitSize)
    : null;

  req.pointer("path", Deno.UnsafePointer.of(plan.path))
    .pointer("argv", plan.argv.pointer)
    .pointer(
      "envp",
      plan.envp?.pointer ?? new Deno.UnsafePointerView(c.symbols.environ!).getPointer(),
    )
    .pointer("cwd", cwd ? Deno.UnsafePointer.of(cwd) : null)
    .pointer("keepFds", keepList ? Deno.UnsafePointer.of(keepList) : null)
    .pointer("rlimits", rlimits ? Deno.UnsafePointer.of(rlimits) : null)
    .i32("keepCount", keep.length)
    .i32("rlimitCount", plan.rlimits.length)
    .i32("pgroup", typeof plan.pgroup === "object" ? PGROUP.join : PGROUP[plan.pgroup])
    .i32("pgid", typeof plan.pgroup === "object" ? plan.pgroup.join : 0)
    .i32("useVfork", plan.backend === "vfork" ? 1 : 0)
    .i32("closeAbove2", CLOSE_ABOVE2[fds.closeAbove2]);
  if (extraList) {
    req.pointer("extraFds", Deno.UnsafePointer.of(extraList)).i32("extraCount", extra.length);
  }
  if (plan.confine?.noNewPrivs) req.i32("noNewPrivs", 1);
  if (plan.pty) req.i32("controllingTty", 1);
  if (plan.uid !== null || plan.gid !== null) {
    req.i32(
      "setIds",
      (plan.dropGroups ? SET_IDS.dropGroups : 0) | (plan.gid !== null ? SET_IDS.gid : 0) |
        (plan.uid !== null ? SET_IDS.uid : 0),
    );
    if (plan.uid !== null) req.i32("uid", plan.uid);
    if (plan.gid !== null) req.i32("gid", plan.gid);
  }
  if (landlockFd > 2) req.i32("landlockFd", landlockFd);
  if (plan.seccompFilter) {
    req.pointer("seccompFilter", Deno.UnsafePointer.of(plan.seccompFilter))
      .i32("seccompCount", plan.seccompFilter.length / 8);
  }
  if (plan.dieWithParent) {
    req.i32("deathSignal", c.abi.kernel.common.signals.SIGKILL).i32("parentPid", Deno.pid);
  }
  child.forEach((end, i) =>
    req.i32("stdio", end === "inherit" ? -1 : end === "null" ? devNullFd() : end, i)
  );
  return { req, pointees: [plan, cwd, keepList, rlimits, extraList] };
}

/** The request of spawns made on this thread, which never overlap: reused, cleared each time. */
let threadRequest: HelperRequest | undefined;

function clearedThreadRequest(c: Libc): HelperRequest {
  threadRequest ??= new HelperRequest(c.abi.helperRequest);
  return threadRequest.clear();
}

/** The fork child's error pipe, numbered at least `lowest` (a dup there must not clobber it). */
function errorPipe(lowest: number): [number, number] {
  const pipe = cloexecPipe("child error pipe");
  if (lowest <= 3) return pipe;
  const moved: number[] = [];
  try {
    for (const end of pipe) moved.push(dupCloexec(end, "child error pipe", lowest));
    return [moved[0], moved[1]];
  } catch (e) {
    moved.forEach(closeFd);
    throw e;
  } finally {
    pipe.forEach(closeFd);
  }
}

/**
 * How the child reports a failed step. A vfork child that really shares our memory writes it
 * into the request itself; a fork child (or an emulated vfork) writes it into a close-on-exec
 * pipe, read until the exec closes it.
 */
class ChildReport {
  readonly #c: Libc;
  readonly #req: HelperRequest;
  readonly #pipe: [number, number] | null;
  readonly #plan: StartPlan;

  /** `lowest`: the pipe's ends are numbered at least this, above every extraFds target. */
  constructor(c: Libc, req: HelperRequest, vfork: boolean, plan: StartPlan, lowest: number) {
    this.#c = c;
    this.#req = req;
    this.#plan = plan;
    this.#pipe = vfork && vforkSharesMemory() ? null : errorPipe(lowest);
    req.i32("errorFd", this.#pipe ? this.#pipe[1] : -1);
  }

  /** After the helper returned `pid`: the pid, or the child's failure thrown as a CoreError. */
  read(pid: number): number {
    if (!this.#pipe) {
      const errno = this.#req.readI32("errErrno");
      return finish(this.#c, pid, errno, this.#req.readI32("errStep"), this.#plan);
    }
    closeFd(this.#pipe[1]); // ours must go, or the read below never sees EOF
    try {
      const report = pid > 0 ? readReport(this.#c, this.#pipe[0]) : [0, 0];
      return finish(this.#c, pid, report[0], report[1], this.#plan);
    } finally {
      closeFd(this.#pipe[0]);
    }
  }

  /** When the helper call itself threw. */
  discard(): void {
    if (this.#pipe) this.#pipe.forEach(closeFd);
  }
}

/**
 * Spawns `plan` through the helper; returns the pid. `fds` are the fds for 0, 1, 2 (and the
 * extraFds copies with their targets). A failure
 * in the child is thrown as a `CoreError` (the child is reaped first).
 *
 * `where` is the one difference between the two starts: `"here"` calls the helper on this
 * thread, with the request and vfork stack this thread reuses; `"offThread"` calls it on a Deno
 * worker thread (this thread goes on while the child starts: a vfork parent is suspended until
 * the exec), with a request and a stack of its own, and returns a promise.
 */
export function helperSpawn(
  plan: StartPlan,
  fds: ChildFds | readonly [ChildEnd, ChildEnd, ChildEnd],
  platform: Platform,
): number;
export function helperSpawn(
  plan: StartPlan,
  fds: ChildFds | readonly [ChildEnd, ChildEnd, ChildEnd],
  platform: Platform,
  where: "offThread",
): Promise<number>;
export function helperSpawn(
  plan: StartPlan,
  fds: ChildFds | readonly [ChildEnd, ChildEnd, ChildEnd],
  platform: Platform,
  where: "here" | "offThread" = "here",
): number | Promise<number> {
  const ends: ChildFds = "child" in fds ? fds : { child: fds, extra: [] };
  const c = libc();
  const helper = nativeHelper();
  const here = where === "here";
  const request = here ? clearedThreadRequest(c) : new HelperRequest(c.abi.helperRequest);
  const built = buildRequest(c, request, plan, ends, platform);
  const vfork = plan.backend === "vfork";
  const stack = vfork ? (here ? vforkStack() : acquireStack()) : null;
  if (stack) withStack(built.req, stack);
  const lowest = ends.extra.reduce((low, extra) => Math.max(low, extra[1] + 1), 3);
  const report = new ChildReport(c, built.req, vfork, plan, lowest);
  const settle = () => {
    if (stack && !here) releaseStack(stack); // the child has exec'd or exited: its stack is free
    void built.pointees; // alive until here
  };
  const failed = (e: unknown): never => {
    settle();
    report.discard();
    throw e;
  };
  let pid: number | Promise<number>;
  try {
    pid = here ? helper.spawn(built.req.bytes) : helper.spawnOnThread(built.req.bytes);
  } catch (e) {
    return failed(e);
  }
  if (typeof pid === "number") {
    settle();
    return report.read(pid);
  }
  return pid.then((p) => {
    settle();
    return report.read(p);
  }, failed);
}

let sharesMemory: boolean | undefined;

/**
 * Whether a vfork child really shares our memory. True on every real kernel; false under
 * qemu-user, which emulates CLONE_VM|CLONE_VFORK as a plain fork. Probed once: a vfork child
 * asked to exec "/" fails with EACCES and reports it in the shared request, or not at all.
 */
export function vforkSharesMemory(): boolean {
  if (sharesMemory !== undefined) return sharesMemory;
  const c = libc();
  const root = cString(new TextEncoder().encode("/"));
  const rootArgv = cStringArray([new TextEncoder().encode("/")]);
  const noEnv = new BigUint64Array(1); // { NULL }
  const req = new HelperRequest(c.abi.helperRequest)
    .pointer("path", Deno.UnsafePointer.of(root))
    .pointer("argv", rootArgv.pointer)
    .pointer("envp", Deno.UnsafePointer.of(noEnv))
    .i32("useVfork", 1)
    .i32("errorFd", -1);
  for (let i = 0; i < 3; i++) req.i32("stdio", -1, i);
  withStack(req, vforkStack());
  const pid = nativeHelper().spawn(req.bytes);
  if (pid < 0) throw sysError("clone", -pid);
  reap(pid, true);
  return sharesMemory = req.readI32("errStep") !== 0;
}

function withStack(req: HelperRequest, stack: VforkStack): void {
  req.u64("stack", stack.low).u64("stackSize", BigInt(stack.size));
}

function finish(c: Libc, pid: number, errno: number, step: number, plan: StartPlan): number {
  if (pid < 0) {
    throw sysError(
      "clone",
      -pid,
      -pid === c.abi.kernel.common.errno.EAGAIN ? "process limit reached" : "",
    );
  }
  if (step === 0) return pid;
  reap(pid, true); // the child exited 127 after reporting
  throw childSetupError(errno, step, stepSubject(step, plan), plan.confine?.landlock != null);
}

const decoder = new TextDecoder();

/** The path a failed step was about: the cwd for chdir, the program for execve. */
function stepSubject(step: number, plan: StartPlan): string | undefined {
  const op = CHILD_STEPS[step];
  if (op === "child chdir" && plan.cwd) return decoder.decode(plan.cwd);
  if (op === "child execve") return decoder.decode(plan.path.subarray(0, plan.path.indexOf(0)));
  return undefined;
}

/**
 * The CoreError for a failed child step: code is the errno name, op the step, and `path` the
 * cwd or program the step was about, named in the message as well. Under Landlock a refused
 * exec may be the ruleset's doing, and the hint says so.
 */
export function childSetupError(
  errno: number,
  step: number,
  path?: string,
  landlocked = false,
): CoreError {
  const op = CHILD_STEPS[step] ?? `child step ${step}`;
  const code = errnoName(errno);
  let hint = CHILD_STEP_HINTS[`${step}:${code}`];
  if (landlocked && op === "child execve" && (code === "EACCES" || code === "ENOENT")) {
    hint = `${hint}, or confine.landlock hides it: landlock.read must cover the program and ` +
      "its ELF interpreter (the loader, e.g. under /lib or /usr/lib)";
  }
  const about = path === undefined ? "" : ` for ${JSON.stringify(path)}`;
  return new CoreError(
    code,
    op,
    `failed with ${code} (errno ${errno})${about}${hint ? `; ${hint}` : ""}`,
    { errno, path },
  );
}

/** Blocks until exec closes the pipe (EOF: success) or the child reports `{errno, step}`. */
function readReport(c: Libc, fd: number): [number, number] {
  const buf = new Int32Array(2);
  const bytes = new Uint8Array(buf.buffer);
  let got = 0;
  while (got < 8) {
    const n = Number(c.symbols.read(fd, bytes.subarray(got), BigInt(8 - got)));
    if (n === 0) break;
    if (n < 0) {
      const e = c.errno();
      if (e === c.abi.kernel.common.errno.EINTR) continue;
      throw sysError("read child error pipe", e);
    }
    got += n;
  }
  return got === 8 ? [buf[0], buf[1]] : [0, 0];
}

function encodeRlimits(c: Libc, plan: StartPlan, size: number): Uint8Array {
  const out = new Uint8Array(size * plan.rlimits.length);
  const view = new DataView(out.buffer);
  plan.rlimits.forEach((limit, i) => {
    const resource = c.abi.kernel.common.rlimits[`RLIMIT_${limit.name.toUpperCase()}`];
    view.setUint32(i * size, resource, true);
    view.setBigUint64(
      i * size + 8,
      limit.soft === Infinity ? RLIM_INFINITY : BigInt(limit.soft),
      true,
    );
    view.setBigUint64(
      i * size + 16,
      limit.hard === Infinity ? RLIM_INFINITY : BigInt(limit.hard),
      true,
    );
  });
  return out;
}
