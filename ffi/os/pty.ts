/**
 * A pseudo-terminal for one child: the master opened from `/dev/ptmx`, unlocked, its slave
 * named by number (`TIOCSPTLCK`, `TIOCGPTN`: the raw ioctls both libcs' `posix_openpt` family
 * wraps), its window size set. Every fd is close-on-exec and never the caller's terminal
 * (`O_NOCTTY`), so no other child inherits a master.
 * @module
 */
import { cString } from "./cstrings.ts";
import { sysError } from "./errors.ts";
import { closeFd } from "./fds.ts";
import { libc } from "./libc.ts";

/** A master and its slave. */
export interface Pty {
  readonly master: number;
  readonly slave: number;
  /** `/dev/pts/N`. */
  readonly path: string;
}

/** Opens a pty of `columns` × `rows`; on failure nothing stays open. */
export function openPty(columns: number, rows: number): Pty {
  const c = libc();
  const { O_RDWR, O_NOCTTY, O_CLOEXEC } = c.abi.kernel.open;
  const { TIOCSPTLCK, TIOCGPTN } = c.abi.kernel.common.tty;
  const flags = O_RDWR | O_NOCTTY | O_CLOEXEC;
  const master = c.symbols.open(cString(new TextEncoder().encode("/dev/ptmx")), flags, 0);
  if (master < 0) throw sysError("open /dev/ptmx", c.errno(), "no pseudo-terminals here?");
  try {
    const arg = new Int32Array(1); // 0: unlock
    if (c.symbols.ioctl(master, BigInt(TIOCSPTLCK), new Uint8Array(arg.buffer)) !== 0) {
      throw sysError("unlock pty", c.errno());
    }
    if (c.symbols.ioctl(master, BigInt(TIOCGPTN), new Uint8Array(arg.buffer)) !== 0) {
      throw sysError("name pty", c.errno());
    }
    const path = `/dev/pts/${arg[0]}`;
    const slave = c.symbols.open(cString(new TextEncoder().encode(path)), flags, 0);
    if (slave < 0) throw sysError("open pty slave", c.errno(), `cannot open ${path}`, path);
    try {
      setWindowSize(master, columns, rows);
    } catch (e) {
      closeFd(slave);
      throw e;
    }
    return { master, slave, path };
  } catch (e) {
    closeFd(master);
    throw e;
  }
}

/**
 * What closing a pty child's stdin types: the terminal's end-of-file character (`VEOF`, ^D
 * unless the child changed it), which a terminal in canonical mode reads as end of input only
 * at the start of a line; after a partial line (`lastByte` not a newline) it is typed twice, the
 * first to hand the partial line over. A child that put its terminal in raw mode reads the
 * character itself, as it would from a person.
 */
export function ptyEndOfInput(master: number, lastByte: number | null): Uint8Array {
  const c = libc();
  const { TCGETS, termiosCcOffset, VEOF } = c.abi.kernel.common.tty;
  const termios = new Uint8Array(64); // the kernel's struct termios is smaller on every arch
  const eof = c.symbols.ioctl(master, BigInt(TCGETS), termios) === 0
    ? termios[termiosCcOffset + VEOF]
    : 4; // ^D, the default, should the settings be unreadable
  const atLineStart = lastByte === null || lastByte === 0x0a;
  return new Uint8Array(atLineStart ? [eof] : [eof, eof]);
}

/** `TIOCSWINSZ`: the terminal's size; the kernel tells its foreground group with SIGWINCH. */
export function setWindowSize(master: number, columns: number, rows: number): void {
  const c = libc();
  const winsize = new Uint16Array([rows, columns, 0, 0]); // ws_row, ws_col, ws_xpixel, ws_ypixel
  const rc = c.symbols.ioctl(
    master,
    BigInt(c.abi.kernel.common.tty.TIOCSWINSZ),
    new Uint8Array(winsize.buffer),
  );
  if (rc !== 0) throw sysError("set pty window size", c.errno());
}
