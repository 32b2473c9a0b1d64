/** A SupervisionPort that records every call as a short string, for tests without a child. */
import type { SupervisionPort } from "../ffi/supervise/supervision.ts";

/** The port and the calls it has seen, in order. */
export function recorder(): { port: SupervisionPort; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    port: {
      signal: (name, group) => calls.push(`${name}${group ? " group" : ""}`),
      armGrace: (ms) => calls.push(`grace ${ms}`),
      closeStdout: () => calls.push("closeStdout"),
      cutPipes: () => calls.push("cutPipes"),
      closeStdin: () => calls.push("closeStdin"),
    },
  };
}
