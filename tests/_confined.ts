/** What the confine suites share: the probe, their skip reason, and a confined runSync. */
import { runSync, type SpawnOptions } from "../mod.ts";
import { EMULATED_VFORK } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

/** The probe program (tests/fixtures/probe.c). */
export const probe: string = probePath();

/** Why spawning confined children is skipped here, or false. */
export const CONFINE_SKIP: string | false = EMULATED_VFORK &&
  "qemu-user cannot install seccomp filters or Landlock rulesets";

/** runSync of the probe with `args` under `confine`. */
export const confined = (confine: SpawnOptions["confine"], ...args: string[]) =>
  runSync({ program: probe, args, confine });
