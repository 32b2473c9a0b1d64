/**
 * The coreshift bench suite as a library: run it, read and write its reports, chart and
 * compare them. `coreshift bench` is the same suite behind a CLI.
 *
 * @example
 * ```ts
 * import { formatReport, runSuite, SIZES } from "@coreshift/core/bench";
 * const report = await runSuite(SIZES.quick);
 * console.log(formatReport(report));
 * ```
 * @module
 */
export { type Progress, runSuite, SIZES, type SuiteSize, TARGETS } from "./suite.ts";
export {
  type BenchReport,
  type CaseResult,
  type CaseRole,
  formatReport,
  type Limit,
  type Ratio,
  type RatioSpec,
  REPORT_SCHEMA,
  type Section,
  validateReport,
} from "./report.ts";
export type { LatencyStats } from "./stats.ts";
export type { Device } from "./device.ts";
export { renderSvg } from "./svg.ts";
export { type ComparedCase, compareReports, formatComparison } from "./compare.ts";
