/**
 * How a registry's children go when this process does: at the `unload` event every registry
 * still holding running children kills them (the listener exists only while one does), and with
 * `killOnSignals` SIGINT and SIGTERM do the same before exiting as the signal would.
 * @module
 */

/** The signals `killOnSignals` answers. */
export const EXIT_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Registries that may hold running children: the `unload` listener that kills them is there
 * only while this is non-empty, so a program without a registry has none.
 */
export const killAtExit = new (class extends Set<() => void> {
  readonly #onUnload = () => {
    for (const kill of this) kill();
  };
  override add(kill: () => void): this {
    if (this.size === 0) globalThis.addEventListener("unload", this.#onUnload);
    return super.add(kill);
  }
  override delete(kill: () => void): boolean {
    const had = super.delete(kill);
    if (had && this.size === 0) globalThis.removeEventListener("unload", this.#onUnload);
    return had;
  }
})();
