/**
 * The programs a bench needs: the static no-op, writer and lingering children, and the C floor.
 * The children ship prebuilt per arch (bench/children/prebuilt/, SHA-256 checked before use),
 * so a phone without a compiler runs the same children as a workstation. Where no prebuilt
 * file fits, they are built from the same C with `cc`; without a compiler they fall back to
 * `true`, `head` and `sh` from PATH, and the report says so. The C floor needs libc and a
 * compiler: without one there is no floor.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "../../ffi/native/sha256.ts";
import { buildC, NoCompilerError } from "../c_build.ts";
import { kernelArch } from "../device.ts";
import { BENCH_CHILD_CFLAGS, type BenchChild } from "./compile.ts";
import { PREBUILT_SHA256 } from "./prebuilt/hashes.ts";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", ".build");

/** Where the children came from. */
export type ChildrenOrigin = "prebuilt" | "built" | "system";

/** What was found, and what could not be. */
export interface BenchChildren {
  /** Absolute path of the no-op child. */
  readonly noop: string;
  /** The C floor binary, or null without a compiler. */
  readonly floor: string | null;
  /** argv of a child that writes `bytes` zeros to stdout and exits. */
  readonly writer: (bytes: number) => string[];
  /** argv of a child that writes `ready\n`, then waits to be killed. */
  readonly linger: readonly string[];
  /** Prebuilt (hash checked), built here from the C, or the system's fallbacks. */
  readonly origin: ChildrenOrigin;
  /** What fell back, for the report. */
  readonly notes: readonly string[];
}

let found: BenchChildren | undefined;

/** Finds (once) the bench children and the C floor. */
export function benchChildren(): BenchChildren {
  return found ??= locate();
}

function locate(): BenchChildren {
  const notes: string[] = [];
  // Under qemu-user the children are the host's: the kernel cannot exec a guest binary.
  const children = prebuiltChildren(kernelArch(), notes) ?? builtChildren(notes);
  let floor: string | null = null;
  try {
    floor = buildC(join(here, "..", "floor.c"), outDir);
  } catch (e) {
    if (!(e instanceof NoCompilerError)) throw e;
    notes.push(`${e.message}; no C floor`);
  }
  if (children) {
    return {
      noop: children.noop,
      floor,
      writer: (bytes) => [children.writer, String(bytes)],
      linger: [children.linger],
      origin: children.origin,
      notes,
    };
  }
  const noop = onPath("true");
  notes.push(
    `no-op child is ${noop} (dynamic), the writer head, the lingering child sh: ` +
      "timings include their start-up",
  );
  return {
    noop,
    floor,
    writer: (bytes) => ["head", "-c", String(bytes), "/dev/zero"],
    linger: ["sh", "-c", "echo ready; exec sleep 100000"],
    origin: "system",
    notes,
  };
}

type Paths = Record<BenchChild, string> & { origin: ChildrenOrigin };

/**
 * The committed children for `arch` under `root`, each checked against its SHA-256; null (with
 * the reason in `notes`) if any is missing or differs.
 */
export function prebuiltChildren(
  arch: string,
  notes: string[],
  root: string = join(here, "prebuilt"),
): Paths | null {
  const paths: Partial<Paths> = { origin: "prebuilt" };
  for (const name of ["noop", "writer", "linger"] as const) {
    const expected = PREBUILT_SHA256[`${arch}/${name}`];
    if (!expected) {
      notes.push(`no prebuilt bench children for ${arch}`);
      return null;
    }
    const path = join(root, `linux-${arch}`, name);
    let got: string;
    try {
      got = sha256Hex(Deno.readFileSync(path));
    } catch (e) {
      notes.push(`prebuilt ${name} unreadable (${(e as Error).message})`);
      return null;
    }
    if (got !== expected) {
      notes.push(`prebuilt ${name} has SHA-256 ${got}, expected ${expected}: not used`);
      return null;
    }
    paths[name] = path;
  }
  return paths as Paths;
}

function builtChildren(notes: string[]): Paths | null {
  try {
    const build = (name: BenchChild) => buildC(join(here, `${name}.c`), outDir, BENCH_CHILD_CFLAGS);
    return {
      noop: build("noop"),
      writer: build("writer"),
      linger: build("linger"),
      origin: "built",
    };
  } catch (e) {
    if (!(e instanceof NoCompilerError)) throw e;
    notes.push(e.message);
    return null;
  }
}

/** The first `name` on PATH. */
function onPath(name: string): string {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    const path = join(dir || ".", name);
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch { /* next */ }
  }
  throw new Error(`no \`${name}\` on PATH for the no-op child`);
}
