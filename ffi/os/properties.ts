/**
 * Android system properties through bionic's own API: `__system_property_find` then
 * `__system_property_read_callback` (API 26+), which hands over the whole value. Before API 26
 * only `__system_property_get` exists; it truncates at 92 bytes (PROP_VALUE_MAX), which the
 * short values read there (API level, model) fit.
 * @module
 */

/** The two bionic functions, as `Deno.dlopen` declares them. */
export const PROPERTY_SYMBOLS = {
  __system_property_find: { parameters: ["buffer"], result: "pointer", optional: true },
  __system_property_read_callback: {
    parameters: ["pointer", "function", "pointer"],
    result: "void",
    optional: true,
  },
  __system_property_get: { parameters: ["buffer", "buffer"], result: "i32", optional: true },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened functions (either may be null where the library lacks them). */
export type PropertySymbols = Deno.DynamicLibrary<typeof PROPERTY_SYMBOLS>["symbols"];

/** Reads one property: its value, or null when the property does not exist. */
export type PropertyReader = (name: string) => string | null;

const CALLBACK = {
  parameters: ["pointer", "pointer", "pointer", "u32"],
  result: "void",
} as const satisfies Deno.UnsafeCallbackDefinition;

/** bionic's PROP_VALUE_MAX: the most `__system_property_get` writes, NUL included. */
const PROP_VALUE_MAX = 92;

/**
 * A reader over `symbols`, or null when the library has no property API (glibc). The callback
 * runs synchronously inside `__system_property_read_callback`, on this thread, so it can be
 * closed as soon as the call returns.
 */
export function propertyReader(symbols: PropertySymbols): PropertyReader | null {
  const find = symbols.__system_property_find;
  const read = symbols.__system_property_read_callback;
  const get = symbols.__system_property_get;
  if (!find || !read) return get ? legacyReader(get) : null;
  return (name) => {
    const info = find(new TextEncoder().encode(`${name}\0`));
    if (info === null) return null;
    let value: string | null = null;
    const callback = new Deno.UnsafeCallback(CALLBACK, (_cookie, _name, v) => {
      value = v === null ? "" : Deno.UnsafePointerView.getCString(v);
    });
    try {
      read(info, callback.pointer, null);
    } finally {
      callback.close();
    }
    return value;
  };
}

/** API 24/25: no read_callback; an empty value and a missing property look alike there. */
function legacyReader(get: NonNullable<PropertySymbols["__system_property_get"]>): PropertyReader {
  return (name) => {
    const value = new Uint8Array(PROP_VALUE_MAX);
    const len = get(new TextEncoder().encode(`${name}\0`), value);
    return len > 0 ? new TextDecoder().decode(value.subarray(0, len)) : null;
  };
}

/**
 * All properties from one run of Android's `getprop` tool (lines `[name]: [value]`), for a
 * glibc Deno on Android, which has no bionic to ask. Null when `getprop` does not exist (not
 * Android); `"unreadable"` when it exists but could not run (no --allow-run, or it failed).
 * Deno.Command is used, not coreshift's spawn: this runs while the platform is being detected.
 */
export function getpropReader(getprop: string): PropertyReader | "unreadable" | null {
  try {
    if (!Deno.statSync(getprop).isFile) return null;
  } catch {
    return null;
  }
  try {
    const out = new Deno.Command(getprop, { stdin: "null", stdout: "piped", stderr: "null" })
      .outputSync();
    if (!out.success) return "unreadable";
    const table = parseGetprop(new TextDecoder().decode(out.stdout));
    return (name) => table.get(name) ?? null;
  } catch {
    return "unreadable";
  }
}

const readersByTool = new Map<string, ReturnType<typeof getpropReader>>();

/**
 * {@linkcode getpropReader} run at most once per tool path in this process: each run forks a
 * tool (tens of ms on a phone), and both the platform detection and the Android facts ask.
 */
export function sharedGetpropReader(getprop: string): PropertyReader | "unreadable" | null {
  let reader = readersByTool.get(getprop);
  if (reader === undefined) {
    reader = getpropReader(getprop);
    readersByTool.set(getprop, reader);
  }
  return reader;
}

/** `[ro.build.version.sdk]: [34]` lines to a map; a value may span lines. */
export function parseGetprop(text: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const m of text.matchAll(/^\[([^\]\n]+)\]: \[([\s\S]*?)\]$/gm)) table.set(m[1], m[2]);
  return table;
}
