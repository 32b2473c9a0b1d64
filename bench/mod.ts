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
export { GOALS, HEADLINES, type Progress, runSuite, SIZES, type SuiteSize } from "./suite.ts";
export {
  type AndroidPathInfo,
  type BenchReport,
  type CaseResult,
  type CaseRole,
  type Limit,
  type Ratio,
  REPORT_SCHEMA,
  type Section,
  type Target,
  type Verdict,
} from "./report.ts";
export type { RatioSpec } from "./verdicts.ts";
export { formatReport } from "./report_text.ts";
export { formatMarkdown } from "./report_markdown.ts";
export { validateReport } from "./report_validate.ts";
export type { LatencyStats } from "./stats.ts";
export type { Device } from "./device.ts";
export { renderComparisonSvg, renderSvg } from "./chart/document.ts";
export { type ComparedCase, compareReports, formatComparison } from "./compare.ts";
