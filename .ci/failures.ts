/**
 * Prints each failing case of a Deno JUnit report with the first lines of its message, so a
 * truncated CI log still says why a case failed, not only which.
 *
 * Usage: deno run --allow-read .ci/failures.ts REPORT.xml
 * @module
 */
const MESSAGE_LINES = 12;

function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name]!,
  );
}

const xml = Deno.readTextFileSync(Deno.args[0]);
const testcase =
  /<testcase name="([^"]*)" classname="([^"]*)"([^>]*)>\s*<failure message="[^"]*">([\s\S]*?)<\/failure>/g;
for (const [, name, file, attributes, body] of xml.matchAll(testcase)) {
  const line = attributes.match(/ line="(\d+)"/)?.[1];
  console.log(`  failed: ${unescapeXml(file)}${line ? `:${line}` : ""}: ${unescapeXml(name)}`);
  const lines = unescapeXml(body).split("\n");
  for (const text of lines.slice(0, MESSAGE_LINES)) console.log(`    | ${text}`);
  if (lines.length > MESSAGE_LINES) {
    console.log(`    | … ${lines.length - MESSAGE_LINES} more lines`);
  }
}
