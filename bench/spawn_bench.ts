/**
 * `deno bench` cases: spawn + wait of the static no-op child through coreshift and through
 * Deno.Command (the baseline), and the micro steps a spawn is made of. The C floor is not a
 * `deno bench` case (it times itself): see suite.ts (`coreshift bench`) for the one-run comparison.
 * @module
 */
import { runSync } from "../mod.ts";
import { cStringArray } from "../ffi/os/cstrings.ts";
import { listOpenFds } from "../ffi/os/fds.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { benchChildren } from "./children/locate.ts";

const { noop } = benchChildren();
const nullIo = { stdout: "null", stderr: "null" } as const;

Deno.bench("coreshift runSync, stdio null", { group: "spawn null stdio" }, () => {
  runSync({ program: noop, ...nullIo });
});
Deno.bench(
  "Deno.Command outputSync, stdio null",
  { group: "spawn null stdio", baseline: true },
  () => {
    new Deno.Command(noop, nullIo).outputSync();
  },
);

Deno.bench("coreshift runSync, capture", { group: "spawn capture" }, () => {
  runSync({ program: noop });
});
Deno.bench("Deno.Command output(), piped", { group: "spawn capture", baseline: true }, async () => {
  await new Deno.Command(noop).output();
});

const args = Array.from({ length: 10 }, (_, i) => `--argument-${i}=value`);
Deno.bench("validate options (10 args, env)", { group: "micro" }, () => {
  validateOptions({ program: noop, args, env: { A: "1", B: "2" }, timeoutMs: 1000 });
});
const encoded = args.map((a) => new TextEncoder().encode(a));
Deno.bench("encode argv (10 args) as char *[]", { group: "micro" }, () => {
  cStringArray(encoded);
});
Deno.bench("scan /proc/self/fd with flags", { group: "micro" }, () => {
  listOpenFds();
});
