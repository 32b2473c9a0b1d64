/** The TypeScript sources under a folder, for the suites that read the code itself. */
import { join } from "node:path";

/** Every `.ts` file under `dir`, recursively (folders starting with "." skipped), as paths. */
export function tsFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].flatMap((e) => {
    if (e.name.startsWith(".")) return [];
    const path = join(dir, e.name);
    if (e.isDirectory) return tsFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}
