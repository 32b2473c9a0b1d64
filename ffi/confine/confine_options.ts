/**
 * The `confine` spawn option, validated: what is wrong is a typed error before anything is
 * opened or started (an unknown syscall, a relative or repeated path, an unknown errno name).
 * @module
 */
import { LINUX_COMMON } from "../abi/linux_common.ts";
import type { ArchName } from "../abi/mod.ts";
import { describeValue, invalidArgument } from "../os/errors.ts";
import type { LandlockRules } from "./landlock.ts";
import {
  ALWAYS_ALLOWED,
  NETWORK_DOORS,
  restrictsSockets,
  type SeccompRules,
  SOCKET_FAMILIES,
  type SocketFamily,
  syscallNumber,
} from "./seccomp_filter.ts";

/** What a child carries, validated. */
export interface ValidConfine {
  readonly noNewPrivs: boolean;
  readonly seccomp: SeccompRules | null;
  readonly landlock: LandlockRules | null;
  /** Run without what this kernel cannot apply (and say so in the output) instead of failing. */
  readonly bestEffort: boolean;
}

const op = "validate confine";

/** Validates `confine` for `arch`; null when absent. */
export function validateConfine(value: unknown, arch: ArchName): ValidConfine | null {
  if (value === undefined) return null;
  const o = plainObject(value, "confine", ["noNewPrivs", "seccomp", "landlock", "bestEffort"]);
  const seccomp = o.seccomp === undefined ? null : validateSeccomp(o.seccomp, arch);
  const landlock = o.landlock === undefined ? null : validateLandlock(o.landlock);
  const flag = (v: unknown, name: string) => {
    if (v === undefined || typeof v === "boolean") return v === true;
    throw invalidArgument(op, `confine.${name} must be true or false`, "");
  };
  return {
    // A filter or a Landlock domain needs no_new_privs (the kernel demands it of an unprivileged
    // process): implied.
    noNewPrivs: flag(o.noNewPrivs, "noNewPrivs") || seccomp !== null || landlock !== null,
    seccomp,
    landlock,
    bestEffort: flag(o.bestEffort, "bestEffort"),
  };
}

function validateSeccomp(value: unknown, arch: ArchName): SeccompRules {
  const o = plainObject(value, "confine.seccomp", ["deny", "allow", "action", "socket"]);
  if (o.deny !== undefined && o.allow !== undefined) {
    throw invalidArgument(op, "confine.seccomp has both deny and allow", "give one list");
  }
  const mode = o.allow !== undefined ? "allow" : "deny";
  const syscalls = names(o.allow ?? o.deny ?? [], `confine.seccomp.${mode}`);
  for (const name of syscalls) syscallNumber(name, arch); // unknown names: a typed error
  const forbidden = mode === "deny" && syscalls.find((s) => ALWAYS_ALLOWED.includes(s));
  if (forbidden) {
    throw invalidArgument(
      op,
      `confine.seccomp.deny names "${forbidden}", which every filter allows`,
      "the filter is installed just before execve and the child must be able to exit",
    );
  }
  let socketFamilies: SocketFamily[] | null = null;
  if (o.socket !== undefined) {
    socketFamilies = names(o.socket, "confine.seccomp.socket") as SocketFamily[];
    const unknown = socketFamilies.find((f) => !(f in SOCKET_FAMILIES));
    if (unknown) {
      throw invalidArgument(
        op,
        `unknown socket family "${unknown}"`,
        `use ${Object.keys(SOCKET_FAMILIES).join(", ")}`,
      );
    }
  }
  const rules: SeccompRules = { mode, syscalls, action: validateAction(o.action), socketFamilies };
  const door = mode === "allow" && restrictsSockets(rules) &&
    syscalls.find((s) => NETWORK_DOORS.includes(s));
  if (door) {
    throw invalidArgument(
      op,
      `confine.seccomp.allow names "${door}" while sockets are restricted: it reaches a socket ` +
        "without socket()",
      `drop "${door}" from the list, or allow "socket" without a socket rule`,
    );
  }
  return rules;
}

function validateAction(value: unknown): number | "kill" {
  if (value === undefined) return LINUX_COMMON.errno.EPERM;
  if (value === "kill") return value;
  const errno = typeof value === "string"
    ? (LINUX_COMMON.errno as Record<string, number>)[value]
    : undefined;
  if (errno === undefined) {
    throw invalidArgument(
      op,
      `confine.seccomp.action is ${describeValue(value)}`,
      'use "kill" (SIGSYS) or an errno name such as "EPERM"',
    );
  }
  return errno;
}

function validateLandlock(value: unknown): LandlockRules {
  const o = plainObject(value, "confine.landlock", ["read", "write"]);
  const read = names(o.read ?? [], "confine.landlock.read");
  const write = names(o.write ?? [], "confine.landlock.write");
  const seen = new Set<string>();
  for (const path of [...read, ...write]) {
    if (!path.startsWith("/")) {
      throw invalidArgument(
        op,
        `Landlock path ${JSON.stringify(path)} is relative`,
        "give absolute paths",
      );
    }
    const normal = path.replace(/\/+$/, "") || "/";
    if (seen.has(normal)) {
      throw invalidArgument(
        op,
        `Landlock rules overlap: ${JSON.stringify(path)} is listed twice`,
        "list each path once, in read or in write",
      );
    }
    seen.add(normal);
  }
  return { read, write };
}

function plainObject(
  value: unknown,
  name: string,
  keys: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(op, `${name} must be an object`, `use { ${keys.join(", ")} }`);
  }
  const unknown = Object.keys(value).find((k) => !keys.includes(k));
  if (unknown) {
    throw invalidArgument(op, `${name} has no option "${unknown}"`, `use ${keys.join(", ")}`);
  }
  return value as Record<string, unknown>;
}

function names(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw invalidArgument(op, `${name} must be an array of strings`, "");
  }
  const i = value.findIndex((v) => v.includes("\0"));
  if (i >= 0) {
    throw invalidArgument(
      op,
      `${name}[${i}] contains a NUL byte`,
      "a name or path cannot hold NUL",
    );
  }
  return [...value];
}
