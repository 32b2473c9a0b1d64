/**
 * The Deno FFI floor: spawn + wait of the no-op child from this Deno process through one FFI
 * call each way, with every argument built once before the loop. It is what any Deno library
 * could reach at best, so the report can tell what is coreshift's own cost (above this floor)
 * from what is Deno's and the process's (this floor above the C floor: a larger, threaded
 * process and the FFI call itself).
 * @module
 */
import { cString, cStringArray } from "../ffi/os/cstrings.ts";
import { sysError } from "../ffi/os/errors.ts";
import { libc } from "../ffi/os/libc.ts";
import { nativeHelper } from "../ffi/native/loader.ts";
import { HelperRequest } from "../ffi/native/request.ts";
import { vforkStack } from "../ffi/native/stack.ts";
import { vforkSharesMemory } from "../ffi/native/helper_spawn.ts";
import { timed } from "./timing.ts";

/** Case names, also read by the ratio table. */
export const FFI_FLOOR_CASES = {
  vfork: "Deno FFI floor: helper vfork",
  posixSpawn: "Deno FFI floor: posix_spawn",
  fork: "Deno FFI floor: helper fork",
} as const;

/** Runs `n` spawns and returns one sample (µs) per spawn. */
export type FloorRun = (n: number) => number[];

/**
 * The floor cases that this platform can run: the helper's vfork (where a vfork child really
 * shares memory: under qemu-user it is a fork and reports through a pipe), the helper's fork,
 * and libc's posix_spawn (where libc has it).
 */
export function ffiFloorCases(noop: string): { name: string; run: FloorRun }[] {
  const c = libc();
  const path = cString(new TextEncoder().encode(noop));
  const argv = cStringArray([path.subarray(0, path.length - 1)]);
  const environ = () => new Deno.UnsafePointerView(c.symbols.environ!).getPointer();
  const status = new Uint8Array(4);
  const waitFor = (pid: number) => {
    if (c.symbols.wait4(pid, status, 0, null) !== pid) throw sysError("wait4", c.errno());
  };
  const cases: { name: string; run: FloorRun }[] = [];
  const helper = nativeHelper();
  const helperCase = (name: string, req: HelperRequest) => ({
    name,
    run: (n: number) =>
      timed(n, () => {
        req.pointer("envp", environ());
        const pid = helper.spawn(req.bytes);
        if (pid < 0) throw sysError("clone", -pid);
        waitFor(pid);
      }),
  });
  const request = (vfork: boolean) => {
    const req = new HelperRequest(c.abi.helperRequest)
      .pointer("path", Deno.UnsafePointer.of(path))
      .pointer("argv", argv.pointer)
      .i32("useVfork", vfork ? 1 : 0)
      .i32("errorFd", -1);
    for (let i = 0; i < 3; i++) req.i32("stdio", -1, i);
    return req;
  };
  if (vforkSharesMemory()) {
    const stack = vforkStack();
    cases.push(helperCase(
      FFI_FLOOR_CASES.vfork,
      request(true).u64("stack", stack.low).u64("stackSize", BigInt(stack.size)),
    ));
  }
  cases.push(helperCase(FFI_FLOOR_CASES.fork, request(false)));
  const spawn = c.symbols.posix_spawn;
  if (spawn) {
    const pid = new Int32Array(1);
    cases.push({
      name: FFI_FLOOR_CASES.posixSpawn,
      run: (n) =>
        timed(n, () => {
          const rc = spawn(pid, path, null, null, argv.pointer, environ());
          if (rc !== 0) throw sysError("posix_spawn", rc);
          waitFor(pid[0]);
        }),
    });
  }
  return cases;
}
