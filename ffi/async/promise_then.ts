/**
 * Promise continuations that user code cannot intercept. A program may replace
 * `Promise.prototype.then` or `Array.prototype[Symbol.iterator]` (Deno's own tests of
 * Deno.Command do, and its `output()` still works), so the path from a spawn to its output calls
 * the `then` captured when this module loads, joins promises without `Promise.all` (which calls
 * `then` through the prototype), and walks arrays by index.
 * @module
 */

const ownThen = Promise.prototype.then;

/** `promise.then(onFulfilled, onRejected)` with the `then` this module captured. */
export function then<T, R>(
  promise: Promise<T>,
  onFulfilled: (value: T) => R | PromiseLike<R>,
  onRejected?: (reason: unknown) => R | PromiseLike<R>,
): Promise<R> {
  return ownThen.call(promise, onFulfilled, onRejected) as Promise<R>;
}

/** `Promise.all(items)` for an array, built on {@linkcode then}. */
export function all<T>(items: readonly (T | Promise<T>)[]): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const values: T[] = new Array(items.length);
    let left = items.length + 1;
    const settle = (i: number, value: T) => {
      values[i] = value;
      if (--left === 0) resolve(values);
    };
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item instanceof Promise) then(item, (value: T) => settle(i, value), reject);
      else settle(i, item);
    }
    if (--left === 0) resolve(values);
  });
}
