/**
 * Exact deadlines on the event loop: afterDelay, built on the timerfd (tests/timer_fd_test.ts).
 * @module
 */
import assert from "node:assert/strict";
import { afterDelay } from "../ffi/async/deadline.ts";
import { listOpenFds } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("afterDelay fires once after its delay; a cancelled one never fires", async () => {
  const before = listOpenFds().length;
  let cancelledFired = false;
  const cancel = afterDelay(1, () => cancelledFired = true);
  cancel();
  cancel(); // twice is harmless
  const start = performance.now();
  let fired = 0;
  await new Promise<void>((resolve) =>
    afterDelay(3, () => {
      fired++;
      resolve();
    })
  );
  assert.ok(performance.now() - start >= 3, "never before its delay");
  await new Promise((r) => setTimeout(r, 10)); // room for a wrong second firing
  assert.equal(fired, 1);
  assert.equal(cancelledFired, false);
  assert.equal(listOpenFds().length, before, "every timer fd closed");
});
