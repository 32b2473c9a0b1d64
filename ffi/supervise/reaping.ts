/**
 * The processes one run waits for: its child and, for a pipeline, the earlier stages. The run
 * counts as reaped once every one is, with the last stage's status and each stage's status in
 * order: a pipeline ends when its last process does, as in a shell.
 * @module
 */
import { reap, type Reaped } from "../platform/process_control.ts";

/** Reaps a child and the pipeline stages before it. */
export class Reaping {
  readonly #main: number;
  readonly #pids: readonly number[];
  readonly #done = new Map<number, Reaped>();

  /** `main` is the child whose status is the run's; `others` the stages before it, in order. */
  constructor(main: number, others: readonly number[] = []) {
    this.#main = main;
    this.#pids = [...others, main];
  }

  /** Whether `main` itself has been reaped (its pid may be reused after this). */
  get mainReaped(): boolean {
    return this.#done.has(this.#main);
  }

  /** Whether processes besides `main` are part of the run. */
  get isPipeline(): boolean {
    return this.#pids.length > 1;
  }

  /** `wait4(WNOHANG)` on each process not reaped yet; the run's result once all are. */
  poll(): Reaped | null {
    return this.#reapEach(false);
  }

  /** Blocks until every process is reaped. */
  block(): Reaped {
    return this.#reapEach(true)!;
  }

  #reapEach(block: boolean): Reaped | null {
    for (const pid of this.#pids) {
      if (this.#done.has(pid)) continue;
      const reaped = reap(pid, block);
      if (reaped) this.#done.set(pid, reaped);
    }
    if (this.#done.size < this.#pids.length) return null;
    if (!this.isPipeline) return this.#done.get(this.#main)!;
    return mergeStages(this.#pids.map((pid) => this.#done.get(pid)!));
  }
}

/**
 * A pipeline's processes, reaped, in stage order, as one: the last stage's exit (a pipeline ends
 * as its last process does, as in a shell) with every stage's status in `stages`.
 */
export function mergeStages(stages: readonly Reaped[]): Reaped {
  return { ...stages[stages.length - 1], stages: stages.map((r) => r.status) };
}
