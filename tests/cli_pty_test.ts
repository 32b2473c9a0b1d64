/**
 * `coreshift run --pty` as a person uses it: in a real terminal (a tmux pane), type into a
 * shell run through it, read the screen, resize the pane and see `stty size` follow, and find
 * the terminal out of raw mode again after the program exits and after coreshift is killed.
 * @module
 */
import assert from "node:assert/strict";

const deno = Deno.env.get("CORESHIFT_TEST_DENO") ?? Deno.execPath();
const cli = new URL("../cli/main.ts", import.meta.url).pathname;
const session = `coreshift-pty-${Deno.pid}`;

function has(program: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${program}`], stdout: "null" })
    .outputSync().success;
}

function tmux(...args: string[]): string {
  const r = new Deno.Command("tmux", { args, stdout: "piped", stderr: "piped" }).outputSync();
  const text = new TextDecoder();
  assert.ok(r.success, `tmux ${args.join(" ")}: ${text.decode(r.stderr)}`);
  return text.decode(r.stdout);
}

/** Types `keys` and Enter into the pane. */
function type(keys: string): void {
  tmux("send-keys", "-t", session, "-l", keys);
  tmux("send-keys", "-t", session, "Enter");
}

/** Waits until the screen matches `pattern` (generous: an emulated Deno starts slowly); returns it. */
async function screenMatches(pattern: RegExp, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  let screen = "";
  while (Date.now() < end) {
    screen = tmux("capture-pane", "-p", "-t", session);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the screen never matched ${pattern}:\n${screen}`);
}

/**
 * At the outer prompt: coreshift's exit code was `code` and the terminal is canonical again
 * (out of raw mode). Clears the screen after, so the next check reads only its own lines.
 */
async function assertExitedRestored(code: number): Promise<void> {
  type("echo code=$?; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'");
  const pattern = new RegExp(`code=${code}\\s*\\n(-?icanon)`);
  const screen = await screenMatches(pattern);
  assert.equal(screen.match(pattern)![1], "icanon", `after exit ${code}: still in raw mode`);
  type("clear");
  await screenMatches(/^outer\$ *$/m);
}

const skip = !has("tmux") && "tmux is not installed";

Deno.test({
  name:
    `cli run --pty in a real terminal: typing, stty size, resize; restored after exit, timeout, kill${
      skip ? ` [skipped: ${skip}]` : ""
    }`,
  ignore: skip !== false,
  async fn() {
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", "sh");
    try {
      type("PS1='outer$ '; export PS1; echo outer-tty=$(tty)");
      const outerTty = (await screenMatches(/outer-tty=(\/dev\/pts\/\d+)/)).match(
        /outer-tty=(\/dev\/pts\/\d+)/,
      )![1];
      type(`'${deno}' run -A '${cli}' run --pty --env 'PS1=inner$ ' -- sh`);
      await screenMatches(/^inner\$/m); // the program runs: only now type into it
      type("stty size; echo inner-tty=$(tty)");
      const inner = await screenMatches(/30 100\s*\ninner-tty=\/dev\/pts\/\d+/);
      const innerTty = inner.match(/inner-tty=(\/dev\/pts\/\d+)/)![1];
      assert.notEqual(innerTty, outerTty, "the program has a terminal of its own");

      tmux("resize-window", "-t", session, "-x", "120", "-y", "40");
      type("stty size");
      await screenMatches(/40 120/);

      // Keys typed before the outer shell is back would go to coreshift (still forwarding to the
      // pty it is closing), as type-ahead does in any terminal program: wait for the prompt.
      type("exit 7");
      await screenMatches(/inner\$ exit 7\n(?:.*\n)*?outer\$ *$/m);
      await assertExitedRestored(7);

      // A timeout, then a program killed by a signal: 124 and 128+9, the terminal restored.
      type(`'${deno}' run -A '${cli}' run --pty --timeout 1s -- sh -c 'echo slow; sleep 30'`);
      await screenMatches(/^slow\n(?:.*\n)*?outer\$ *$/m);
      await assertExitedRestored(124);
      type(`'${deno}' run -A '${cli}' run --pty -- sh -c 'echo doomed; kill -9 $$'`);
      await screenMatches(/^doomed\n(?:.*\n)*?outer\$ *$/m);
      await assertExitedRestored(137);

      // Killed from outside while the program runs: the terminal is restored all the same.
      type(`'${deno}' run -A '${cli}' run --pty -- sh -c 'echo started; sleep 30'`);
      await screenMatches(/^started/m);
      new Deno.Command("pkill", { args: ["-TERM", "-f", `${cli} run --pty -- sh -c`] })
        .outputSync();
      await screenMatches(/^started\n(?:.*\n)*?outer\$ *$/m);
      await assertExitedRestored(143);

      // A terminal that reports 0×0 (some serial consoles): the program gets 80×24.
      type("stty cols 0 rows 0");
      type(`'${deno}' run -A '${cli}' run --pty -- stty size`);
      await screenMatches(/^24 80\n(?:.*\n)*?outer\$ *$/m); // keys typed sooner go to coreshift
      await assertExitedRestored(0);
    } finally {
      tmux("kill-session", "-t", session);
    }
  },
});
