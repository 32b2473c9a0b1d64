/**
 * Android's app seccomp policy as released, read from `../shared/bionic/policy/apiN/` the way
 * each release's genseccomp.py merges it: (SYSCALLS.TXT − blocklists) ∪ allowlists, with the
 * app's and the common lists (API 28+) or the single whitelist and blacklist (API 26, 27).
 * API 24 and 25 install no app filter at all.
 * @module
 */
import { join } from "node:path";

/** Where `../shared/bionic` lies beside the repository, or why it cannot be used. */
export const BIONIC_DIR = new URL("../../shared/bionic", import.meta.url).pathname;

/** Why the bionic checks cannot run here, or false when they can. */
export function bionicMissing(): string | false {
  try {
    Deno.statSync(join(BIONIC_DIR, "policy"));
    return false;
  } catch {
    return `${BIONIC_DIR} is missing (shared/ must lie beside the repository)`;
  }
}

/** Android's name for an architecture in SYSCALLS.TXT. */
export type PolicyArch = "x86_64" | "arm64";

/** The API levels the project supports and the policy folder holds. */
export const API_LEVELS: readonly number[] = Array.from({ length: 12 }, (_, i) => 24 + i);

/** Syscall names a SYSCALLS.TXT-format file lists for `arch`. */
export function syscallNames(text: string, arch: PolicyArch): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const open = line.indexOf("(");
    const close = line.lastIndexOf(")");
    if (!line || open < 0 || close < open) continue;
    const head = line.slice(0, open).trim().split(/\s+/).at(-1)!;
    const parts = head.split(":");
    const name = parts.length > 1 ? parts[1] : parts[0].split("|")[0];
    const arches = line.slice(close + 1).split(",").map((a) => a.trim());
    const lp64 = arches.includes("lp64");
    if (arches.includes("all") || arches.includes(arch) || lp64) names.add(name);
  }
  return names;
}

/** The syscalls the app filter of API `api` allows on `arch`; null when there is no filter. */
export function appAllowlist(api: number, arch: PolicyArch): Set<string> | null {
  if (api < 26) return null;
  const dir = join(BIONIC_DIR, "policy", `api${api}`);
  const read = (file: string) => syscallNames(Deno.readTextFileSync(join(dir, file)), arch);
  const allowed = read("SYSCALLS.TXT");
  const lists = [...Deno.readDirSync(dir)].map((e) => e.name).filter((name) =>
    /^SECCOMP_(WHITE|BLACK|ALLOW|BLOCK)LIST/.test(name) &&
    (api < 28 || /_(APP|COMMON)\.TXT$/.test(name))
  );
  const blocked = lists.filter((n) => /BLACKLIST|BLOCKLIST/.test(n)).flatMap((n) => [...read(n)]);
  const extra = lists.filter((n) => /WHITELIST|ALLOWLIST/.test(n)).flatMap((n) => [...read(n)]);
  for (const name of blocked) allowed.delete(name);
  for (const name of extra) allowed.add(name);
  return allowed;
}

/**
 * The last API level (26–35) whose app filter allows `name` on `arch` when a later one refuses
 * it; undefined when every level from the first allowed on allows it (or none does).
 */
export function lastAllowedBeforeRemoval(name: string, arch: PolicyArch): number | undefined {
  const allowed = API_LEVELS.filter((api) => api >= 26 && appAllowlist(api, arch)!.has(name));
  const last = allowed.at(-1);
  return last !== undefined && last < API_LEVELS.at(-1)! ? last : undefined;
}

/** The first API level (26–35) whose app filter allows `name` on `arch`, or null: never. */
export function firstAllowed(name: string, arch: PolicyArch): number | null {
  for (const api of API_LEVELS) {
    if (api >= 26 && appAllowlist(api, arch)!.has(name)) return api;
  }
  return null;
}
