/** Wait statuses decoded and shell exit codes (ffi/os/exit_status.ts). */
import assert from "node:assert/strict";
import { decodeWaitStatus, shellExitCode } from "../ffi/os/exit_status.ts";

Deno.test("wait status decoding and shell exit codes", () => {
  assert.deepEqual(decodeWaitStatus(0x0300), { kind: "exited", code: 3 });
  assert.deepEqual(decodeWaitStatus(9), {
    kind: "signaled",
    signal: 9,
    signalName: "SIGKILL",
    coreDumped: false,
  });
  assert.deepEqual(decodeWaitStatus(0x86), {
    kind: "signaled",
    signal: 6,
    signalName: "SIGABRT",
    coreDumped: true,
  });
  assert.equal(shellExitCode(decodeWaitStatus(0x0300)), 3);
  assert.equal(shellExitCode(decodeWaitStatus(15)), 143);
});
