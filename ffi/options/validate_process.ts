/**
 * The options about the process itself: environment, process group, user and group ids,
 * resource limits, backend, and how Termux and Android's system linker are found.
 * @module
 */
import { describeValue, invalidArgument } from "../os/errors.ts";
import {
  type Backend,
  DEFAULTS,
  type PgroupMode,
  type Rlimit,
  type RlimitName,
  type SpawnOptions,
} from "./options.ts";
import { cBytes, isPlainObject, oneOf, pathOrOff } from "./value_checks.ts";

/** Variables to set (null removes an inherited one), each name and value a C string. */
export function validateEnv(env: SpawnOptions["env"]): Map<string, Uint8Array | null> | null {
  if (env === undefined) return null;
  if (!isPlainObject(env)) {
    throw invalidArgument(
      "validate env",
      "env must be a plain object of name → value",
      "for a Map or Headers, pass Object.fromEntries(it)",
    );
  }
  const out = new Map<string, Uint8Array | null>();
  for (const [key, value] of Object.entries(env)) {
    if (key.length === 0 || key.includes("=") || key.includes("\0")) {
      throw invalidArgument(
        "validate env",
        `env name ${JSON.stringify(key)} is empty or contains "=" or NUL`,
        "use a plain variable name",
      );
    }
    out.set(key, value === null || value === undefined ? null : cBytes(value, `env.${key}`));
  }
  return out;
}

/** The process group modes given by name (`{ join }` is the other form). */
export const PGROUP_MODES: readonly string[] = ["none", "leader", "isolated"];

/** The child's process group: none, its own, a new session, or one to join. */
export function validatePgroup(pgroup: unknown): PgroupMode {
  if (typeof pgroup !== "object" || pgroup === null) {
    return oneOf(pgroup, PGROUP_MODES, "pgroup", DEFAULTS.pgroup) as PgroupMode;
  }
  const join = (pgroup as { join?: unknown }).join;
  if (Object.keys(pgroup).length !== 1 || !Number.isInteger(join) || (join as number) <= 0) {
    throw invalidArgument(
      "validate pgroup",
      `pgroup is ${describeValue(pgroup)}`,
      'use "none", "leader", "isolated" or { join: pgid } with a process group id > 0',
    );
  }
  return { join: join as number };
}

/** A user or group id: 0 to 2^32 − 2 (all ones means "unchanged" to the kernel). */
export function validateId(value: unknown, name: string): number | null {
  if (value === undefined) return null;
  if (Number.isInteger(value) && (value as number) >= 0 && (value as number) < 0xffffffff) {
    return value as number;
  }
  throw invalidArgument(
    `validate ${name}`,
    `${name} is ${describeValue(value)}`,
    "give an id from 0 to 2^32 - 2",
  );
}

/** One limit to set, by resource name. */
export interface ValidRlimit {
  readonly name: RlimitName;
  readonly soft: number;
  readonly hard: number;
}

/** The resource limits the fork and vfork backends set. */
export const RLIMIT_NAMES: readonly RlimitName[] = [
  "cpu",
  "fsize",
  "data",
  "stack",
  "core",
  "nproc",
  "nofile",
  "memlock",
  "as",
];

/** Resource limits by name, soft ≤ hard, Infinity for unlimited. */
export function validateRlimits(limits: unknown): ValidRlimit[] {
  if (limits === undefined) return [];
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw invalidArgument(
      "validate rlimits",
      "rlimits must be a record",
      "e.g. { nofile: { soft: 64, hard: 64 } }",
    );
  }
  return Object.entries(limits).map(([name, value]) => {
    if (!RLIMIT_NAMES.includes(name as RlimitName)) {
      throw invalidArgument(
        "validate rlimits",
        `unknown limit "${name}"`,
        `use one of ${RLIMIT_NAMES.join(", ")}`,
      );
    }
    const { soft, hard } = (value ?? {}) as Partial<Rlimit>;
    const ok = (v: unknown) => v === Infinity || (Number.isSafeInteger(v) && (v as number) >= 0);
    if (!ok(soft) || !ok(hard) || soft! > hard!) {
      throw invalidArgument(
        "validate rlimits",
        `${name} is ${describeValue(value)}`,
        "give { soft, hard } as whole numbers or Infinity, soft ≤ hard",
      );
    }
    return { name: name as RlimitName, soft: soft!, hard: hard! };
  });
}

/** A backend asked for by name, or null to let the platform choose. */
export function validateBackend(backend: unknown): Backend | null {
  if (backend === undefined) return null;
  if (backend === "posixSpawn" || backend === "fork" || backend === "vfork") return backend;
  throw invalidArgument(
    "validate backend",
    `unknown backend ${String(backend)}`,
    `use "vfork", "fork" or "posixSpawn"`,
  );
}

/** Android's system linker: "auto" when omitted, off when null, else an absolute path. */
export function validateSystemLinker(value: unknown): string | null | "auto" {
  return pathOrOff(
    value,
    "systemLinker",
    "pass /system/bin/linker64, or null to turn the system linker exec off",
  );
}

/** The Termux prefix: "auto" when omitted, off when null, else an absolute path. */
export function validateTermuxPrefix(value: unknown): string | null | "auto" {
  const prefix = pathOrOff(
    value,
    "termuxPrefix",
    "pass Termux's $PREFIX (e.g. /data/data/com.termux/files/usr), or null to turn it off",
  );
  return typeof prefix === "string" && prefix !== "auto" ? prefix.replace(/\/+$/, "") : prefix;
}
