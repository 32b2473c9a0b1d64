/** The continuations that survive a replaced `Promise.prototype.then`. */
import assert from "node:assert/strict";
import { all, then } from "../ffi/async/promise_then.ts";

/** Runs `body` with `Promise.prototype.then` and array iteration replaced by throwing stubs. */
async function withReplacedPrototypes(body: () => Promise<void>): Promise<void> {
  const original = { then: Promise.prototype.then, iterator: Array.prototype[Symbol.iterator] };
  const stub = () => {
    throw new Error("replaced");
  };
  Promise.prototype.then = stub;
  Array.prototype[Symbol.iterator] = stub;
  try {
    await body();
  } finally {
    Promise.prototype.then = original.then;
    Array.prototype[Symbol.iterator] = original.iterator;
  }
}

Deno.test("then: maps a value and a rejection with the captured then", async () => {
  let mapped = 0;
  let reason: unknown = null;
  await withReplacedPrototypes(async () => {
    mapped = await then(Promise.resolve(20), (n) => n + 1);
    reason = await then(Promise.reject(new Error("no")), () => "", (e) => (e as Error).message);
  });
  assert.equal(mapped, 21);
  assert.equal(reason, "no");
});

Deno.test("all: values in order, plain values kept, the first rejection wins", async () => {
  let values: unknown[] = [];
  let empty: unknown[] | null = null;
  let failure: unknown = null;
  await withReplacedPrototypes(async () => {
    const late = new Promise<string>((resolve) => setTimeout(() => resolve("late"), 5));
    values = await all<string | null>([late, Promise.resolve("now"), null]);
    empty = await all([]);
    try {
      await all([Promise.reject(new Error("first")), late]);
    } catch (e) {
      failure = e;
    }
  });
  assert.deepEqual(values, ["late", "now", null]);
  assert.deepEqual(empty, []);
  assert.equal((failure as Error).message, "first");
});
