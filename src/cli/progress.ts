/**
 * A small progress bar on standard error for long work (imports, the demo
 * county): redrawn in place on a terminal, one line per stage otherwise, so
 * logs stay readable. Standard output is left to the command's result.
 */
export interface Progress {
  /** Reports `done` of `total` for a stage; a new stage starts a new bar. */
  update(stage: string, done: number, total: number): void;
  /** Ends the current bar with its elapsed time. */
  finish(): void;
  /** Drops the current bar without its final line (the work failed: the error is the one line to show). */
  abandon(): void;
}

const WIDTH = 28;

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let stage: string | null = null;
  let started = 0;
  let last = { done: 0, total: 0 };
  let lastDraw = 0;
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const line = (done: number, total: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * WIDTH);
    return `${stage!.padEnd(12)} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${seconds()} s`;
  };
  const end = () => {
    if (stage === null) return;
    stream.write(tty ? `\r${line(last.done, last.total)}\n` : `${line(last.done, last.total)}\n`);
    stage = null;
  };
  return {
    update(next, done, total) {
      if (next !== stage) {
        end();
        stage = next;
        started = performance.now();
      }
      last = { done, total };
      const now = performance.now();
      if (tty && (now - lastDraw > 50 || done >= total)) {
        stream.write(`\r${line(done, total)}`);
        lastDraw = now;
      }
    },
    finish: end,
    abandon() {
      if (stage !== null && tty) stream.write('\r\x1b[2K');
      stage = null;
    },
  };
}

/** A progress that shows nothing (tests, --quiet). */
export const silentProgress: Progress = { update: () => undefined, finish: () => undefined, abandon: () => undefined };
