import assert from "node:assert/strict";
import { BACKENDS, runWith } from "./_backends.ts";
import { probePath } from "./fixtures/build.ts";
import { spawnTest } from "./_harness.ts";

const probe = probePath();

/** Deterministic PRNG (mulberry32) so a failure names a case that reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0–40 random bytes from 1–255 (everything but NUL), biased towards awkward ones. */
function randomBytes(next: () => number): Uint8Array {
  const awkward = [0x01, 0x0a, 0x20, 0x22, 0x27, 0x3d, 0x5c, 0x7f, 0x80, 0xc3, 0xff];
  const out = new Uint8Array(Math.floor(next() * 41));
  for (let i = 0; i < out.length; i++) {
    out[i] = next() < 0.3
      ? awkward[Math.floor(next() * awkward.length)]
      : 1 + Math.floor(next() * 255);
  }
  return out;
}

function splitNul(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      parts.push(bytes.slice(start, i));
      start = i + 1;
    }
  }
  return parts;
}

for (const backend of BACKENDS) {
  const run = runWith(backend);

  spawnTest(`[${backend}] 1,000 generated argv cases round-trip byte for byte`, () => {
    const next = rng(0xc0de);
    for (let n = 0; n < 1000; n++) {
      const args = Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomBytes(next));
      const out = run({ program: probe, args: ["argv", ...args] });
      assert.deepEqual(splitNul(out.stdout), args, `argv case ${n}`);
    }
  });

  spawnTest(`[${backend}] 1,000 generated env values round-trip byte for byte`, () => {
    const next = rng(0xe5e5);
    for (let n = 0; n < 1000; n++) {
      const value = randomBytes(next);
      const out = run({ program: probe, args: ["env"], clearEnv: true, env: { V: value } });
      const expected = new Uint8Array([0x56, 0x3d, ...value]);
      assert.deepEqual(splitNul(out.stdout), [expected], `env case ${n}`);
    }
  });
}
