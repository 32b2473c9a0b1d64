/**
 * `coreshift doctor [--json]`: what works here, and the fix for what does not.
 * @module
 */
import { parseArgs } from "node:util";
import { doctor, type DoctorReport } from "../android/doctor.ts";
import { paint, printError } from "./style.ts";

/** `coreshift doctor --help`. */
export const DOCTOR_HELP = `usage: coreshift doctor [--json]

Reports the platform, which spawn backends work, the native helper and its SHA-256, which gated
syscalls coreshift will make here, seccomp state, Termux and su, and a fix for each problem.
Exits 0 when nothing needs fixing, 1 when there are warnings.
`;

/** Runs `coreshift doctor`; returns the exit code. */
export function doctorCommand(args: readonly string[]): number {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (e) {
    printError("doctor", `${(e as Error).message} (see coreshift doctor --help)`);
    return 2;
  }
  if (values.help) {
    console.log(DOCTOR_HELP);
    return 0;
  }
  const report = doctor();
  console.log(values.json ? JSON.stringify(report) : formatDoctor(report));
  return report.warnings.length === 0 ? 0 : 1;
}

/** The report as text. */
export function formatDoctor(r: DoctorReport): string {
  const yes = (ok: boolean) => ok ? paint("green", "yes") : paint("red", "no");
  const p = r.platform;
  const lines = [
    paint("bold", "coreshift doctor"),
    `platform   ${p.os} ${p.arch}, ${p.libc} ${p.libcVersion}, kernel ${p.kernel.join(".")}` +
    (p.androidApi === null ? "" : `, Android API ${p.androidApi}`),
    `helper     ${
      r.helper.loaded
        ? `${r.helper.path} (${r.helper.origin}, sha256 ${r.helper.sha256})`
        : paint("red", r.helper.reason)
    }`,
    `backends   vfork ${yes(r.backends.vfork)}  fork ${yes(r.backends.fork)}  posixSpawn ${
      yes(r.backends.posixSpawn)
    }`,
    `syscalls   ${Object.entries(r.syscalls).map(([name, ok]) => `${name} ${yes(ok)}`).join("  ")}`,
    `exits      via ${r.exitSource}`,
    `seccomp    ${r.confinement.seccomp}` +
    (r.confinement.filters === null ? "" : ` (${r.confinement.filters} filters)`) +
    (r.confinement.noNewPrivs ? ", no_new_privs" : ""),
    `termux     ${r.termux ? r.termux.prefix : "no"}`,
    `su         ${r.su ?? "not found"}`,
  ];
  for (const w of r.warnings) {
    lines.push(`${paint("yellow", "warning")}    ${w.problem}\n           fix: ${w.fix}`);
  }
  return lines.join("\n");
}
