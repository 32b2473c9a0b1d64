/** Pipes for the suites that test the pipe plumbing without a child. */
import { cloexecPipe, setNonblocking } from "../ffi/os/fds.ts";

/** A close-on-exec pipe with both ends non-blocking: `[read, write]`. */
export function nonblockingPipe(): [number, number] {
  const [read, write] = cloexecPipe("test pipe");
  setNonblocking(read, "test pipe");
  setNonblocking(write, "test pipe");
  return [read, write];
}

/** Lets the event loop (and the fd poller's parked wait) run for `ms`. */
export const tick = (ms = 20): Promise<unknown> => new Promise((r) => setTimeout(r, ms));
