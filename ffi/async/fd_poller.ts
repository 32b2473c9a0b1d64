/**
 * Readiness of our pipe fds without blocking the JS thread: one epoll set, waited on by a single
 * `epoll_wait` parked on a Deno worker thread (a nonblocking FFI call). When it returns, the
 * ready pipes are read or written here with plain FFI calls, and the wait is parked again.
 *
 * Why not `net.Socket({ fd })`: a socket per pipe costs far more to create and wind down, two
 * per captured child (docs/performance.md); one parked wait serves every pipe of every child.
 *
 * The epoll set and its doorbell pipe exist only while some fd is watched: when the last one
 * goes, the doorbell wakes the parked wait, the loop ends and both fds are closed, so an idle
 * program holds none of the poller's fds and no pending op.
 *
 * A parked wait keeps Deno's event loop alive. Watches belong to a {@linkcode RefScope}; when
 * every scope left is unref'd (`ChildProcess.unref()`), the wait is not parked: the set is
 * polled from an unref'd timer instead, so those children no longer keep the program alive.
 * @module
 */
import { cloexecPipe, closeFd, setNonblocking } from "../os/fds.ts";
import { libc } from "../os/libc.ts";
import { Epoll, type ReadyEvent } from "../os/epoll.ts";

/** Called on the JS thread when a watched fd is ready. */
export type ReadyHandler = (event: ReadyEvent) => void;

/** Whether the watches of one owner (a child) keep Deno's event loop alive. */
export interface RefScope {
  ref: boolean;
}

/** The scope of watches nobody unrefs. */
export const ALWAYS_REF: RefScope = Object.freeze({ ref: true }) as RefScope;

/** How often unref'd watches are polled when nothing ref'd is left to park a wait for. */
const UNREF_POLL_MS = 10;

const DOORBELL = 0;

let epoll: Epoll | null = null;
let doorbell: [number, number] = [-1, -1];
let rung = false;
const handlers = new Map<number, ReadyHandler>();
const scopes = new Map<number, RefScope>();
/** Ends the unref'd poll's sleep early, when something ref'd arrives. */
let wakePoll: (() => void) | null = null;
let nextToken = DOORBELL + 1;
let loop: Promise<void> | null = null;

/**
 * Watches `fd` for reading or writing; `handler` runs each time it is ready (level-triggered)
 * until {@linkcode unwatch}. Returns the token to unwatch with.
 */
export function watch(
  fd: number,
  interest: "read" | "write",
  handler: ReadyHandler,
  scope: RefScope = ALWAYS_REF,
): number {
  if (!epoll) open();
  const token = nextToken++;
  try {
    epoll!.add(fd, interest, token);
  } catch (e) {
    if (handlers.size === 0 && !loop) close(); // nothing else uses the set: leave no fd behind
    throw e;
  }
  handlers.set(token, handler);
  scopes.set(token, scope);
  if (scope.ref) wakePoll?.();
  loop ??= run(); // a loop about to end sees the new handler before it checks again
  return token;
}

/**
 * Stops watching `fd` (registered as `token`). With `closing`, the caller closes the fd next,
 * which drops it from the epoll set by itself: one syscall saved per pipe. (A vfork or fork child
 * that still holds a copy until its exec keeps the registration alive that long; its events then
 * carry a token nobody has and are skipped.)
 */
export function unwatch(fd: number, token: number, closing = false): void {
  if (!handlers.delete(token)) return;
  scopes.delete(token);
  if (!closing) epoll!.remove(fd);
  if (!anyRef()) ring();
}

/**
 * A scope's `ref` changed: a parked wait that no longer has a ref'd watch is woken (to poll
 * instead), an unref'd poll that has one again parks at once.
 */
export function refsChanged(): void {
  if (anyRef()) wakePoll?.();
  else if (loop) ring();
}

function anyRef(): boolean {
  for (const scope of scopes.values()) if (scope.ref) return true;
  return false;
}

/**
 * Resolves once the parked wait has returned, if nothing is watched any more; at once otherwise.
 * A caller that just unwatched its last fd awaits this so that no op outlives it.
 */
export function settled(): Promise<void> {
  return handlers.size === 0 && loop ? loop : Promise.resolve();
}

/** Makes the epoll set and its doorbell, all or nothing: a half-made poller would never wake. */
function open(): void {
  const set = new Epoll();
  try {
    doorbell = cloexecPipe("create poller doorbell");
    setNonblocking(doorbell[0], "poller doorbell");
    setNonblocking(doorbell[1], "poller doorbell");
    set.add(doorbell[0], "read", DOORBELL);
  } catch (e) {
    set.close();
    close();
    throw e;
  }
  epoll = set;
}

function ring(): void {
  if (rung) return;
  rung = true;
  libc().symbols.write(doorbell[1], new Uint8Array(1), 1n);
}

async function run(): Promise<void> {
  while (handlers.size > 0) {
    const events = anyRef() ? await epoll!.waitOnThread() ?? retryHere() : await pollUnref();
    for (let i = 0; i < events.length; i++) {
      if (events[i].token === DOORBELL) drainDoorbell();
      else dispatch(events[i]);
    }
  }
  loop = null;
  close();
}

/** Sleeps on an unref'd timer (woken early by a ref'd watch), then polls the set. */
async function pollUnref(): Promise<ReadyEvent[]> {
  await new Promise<void>((resolve) => {
    const id = setTimeout(() => resolve(), UNREF_POLL_MS);
    Deno.unrefTimer(id);
    wakePoll = () => {
      clearTimeout(id);
      resolve();
    };
  });
  wakePoll = null;
  return retryHere();
}

/**
 * The parked wait failed, and its errno stayed on the worker thread. Ask again here without
 * waiting: EINTR (a signal reached that thread, as in a signal storm) reads as nothing ready;
 * any other failure wakes every handler, whose own read or write then meets the real error and
 * reports it. Woken handlers check their fd themselves (a timer reads its expiry count).
 */
function retryHere(): ReadyEvent[] {
  try {
    return epoll!.wait(0);
  } catch {
    return [...handlers.keys()].map(everythingReady);
  }
}

/**
 * Runs the handler of `event` (a stale token, already unwatched, is skipped). A handler that
 * throws is a bug in it, reported as an uncaught error, but never stops the service of every
 * other fd.
 */
function dispatch(event: ReadyEvent): void {
  try {
    handlers.get(event.token)?.(event);
  } catch (e) {
    reportError(e);
  }
}

function everythingReady(token: number): ReadyEvent {
  return { token, readable: true, writable: true, hangup: true };
}

function drainDoorbell(): void {
  const buf = new Uint8Array(64);
  while (Number(libc().symbols.read(doorbell[0], buf, 64n)) > 0) { /* empty it */ }
  rung = false;
}

function close(): void {
  epoll?.close();
  epoll = null;
  if (doorbell[0] >= 0) closeFd(doorbell[0]);
  if (doorbell[1] >= 0) closeFd(doorbell[1]);
  doorbell = [-1, -1];
  rung = false;
}
