/**
 * `coreshift doctor [--json]`: what works here, and the fix for what does not.
 * @module
 */
import { probeAbi } from "../android/abi_probe.ts";
import { doctor, type DoctorReport } from "../android/doctor.ts";
import { DEFAULT_MAX_PHANTOM_PROCESSES } from "../android/phantom.ts";
import { libc } from "../ffi/os/libc.ts";
import { parseFlags } from "./flags.ts";
import { paint, printError } from "./style.ts";

/** `coreshift doctor --help`. */
export const DOCTOR_HELP = `usage: coreshift doctor [--json] [--abi-check]

Reports the platform, which spawn backends work, the native helper and its SHA-256, which gated
syscalls coreshift will make here, seccomp state, Termux and su, and a fix for each problem.
Exits 0 when nothing needs fixing, 1 when there are warnings.

--abi-check compares coreshift's ABI table for this libc and arch with what the running libc
and kernel show (struct sizes, epoll_event layout, flags); exits 1 on any mismatch. On Android
this is the check of the bionic tables, which are otherwise written from headers.
`;

/** Runs `coreshift doctor`; returns the exit code. */
export function doctorCommand(args: readonly string[]): number {
  const values = parseFlags("doctor", args, {
    json: { type: "boolean" },
    "abi-check": { type: "boolean" },
  }, DOCTOR_HELP);
  if (typeof values === "number") return values;
  if (values["abi-check"]) return abiCheck(values.json === true);
  const report = doctor();
  console.log(values.json ? JSON.stringify(report) : formatDoctor(report));
  return report.warnings.length === 0 ? 0 : 1;
}

function abiCheck(json: boolean): number {
  const checks = probeAbi();
  const failed = checks.filter((c) => !c.ok);
  if (json) console.log(JSON.stringify({ table: `${libc().abi.libc}-${libc().abi.arch}`, checks }));
  else {
    console.log(
      paint("bold", `ABI table ${libc().abi.libc}-${libc().abi.arch} against this machine`),
    );
    for (const c of checks) {
      const mark = c.actual === null
        ? paint("dim", "n/a ")
        : c.ok
        ? paint("green", "ok  ")
        : paint("red", "FAIL");
      const rel = c.relation === "atMost" ? "≤" : "=";
      console.log(
        `${mark} ${c.name}: table ${c.expected}, seen ${c.actual ?? "not probeable"} (${rel})`,
      );
    }
    if (failed.length) {
      printError(
        "doctor",
        `${failed.length} ABI value(s) differ: do not spawn with this build; report it with this output`,
      );
    }
  }
  return failed.length === 0 ? 0 : 1;
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
    `termux     ${
      r.termux
        ? `${r.termux.prefix}; app-data programs ${
          r.systemLinker ? `run through ${r.systemLinker}` : "exec'd directly"
        }`
        : "no"
    }`,
    `confine    no_new_privs, ${
      r.confine.seccompFilter ? "seccomp filters" : "no seccomp filters"
    }, ${r.confine.landlockAbi === null ? "no Landlock" : `Landlock ABI ${r.confine.landlockAbi}`}`,
    `su         ${
      r.su ? `${r.su.path} (${r.su.flavour}${r.su.version ? ` ${r.su.version}` : ""})` : "not found"
    }`,
    ...(r.phantomKiller
      ? [
        `phantom    ${
          r.phantomKiller.active === null ? "unknown" : r.phantomKiller.active ? "active" : "off"
        } (max ${
          r.phantomKiller.maxPhantomProcesses ?? `default ${DEFAULT_MAX_PHANTOM_PROCESSES}`
        })`,
      ]
      : []),
  ];
  for (const w of r.warnings) {
    lines.push(`${paint("yellow", "warning")}    ${w.problem}\n           fix: ${w.fix}`);
  }
  return lines.join("\n");
}
