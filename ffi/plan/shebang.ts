/**
 * The `#!` line, parsed as the kernel's binfmt_script does: the first bytes of the file, one
 * interpreter, at most one argument (the rest of the line). Used by termux_exec.ts.
 * @module
 */

/** A parsed `#!` line. */
export interface Shebang {
  /** The interpreter path as written. */
  readonly interpreter: Uint8Array;
  /** The rest of the line, one argument (as the kernel passes it), or null. */
  readonly arg: Uint8Array | null;
}

/** The `#!` line at the start of `head`, or null when `head` does not start with one. */
export function parseShebang(head: Uint8Array): Shebang | null {
  if (head[0] !== 0x23 || head[1] !== 0x21) return null; // "#!"
  const blank = (b: number) => b === 0x20 || b === 0x09;
  let end = head.indexOf(0x0a, 2);
  if (end < 0) end = head.length;
  let i = 2;
  while (i < end && blank(head[i])) i++;
  const start = i;
  while (i < end && !blank(head[i])) i++;
  if (i === start) return null; // "#!" and nothing: the kernel says ENOEXEC
  const interpreter = head.slice(start, i);
  while (i < end && blank(head[i])) i++;
  let argEnd = end;
  while (argEnd > i && (blank(head[argEnd - 1]) || head[argEnd - 1] === 0x0d)) argEnd--;
  return { interpreter, arg: argEnd > i ? head.slice(i, argEnd) : null };
}
