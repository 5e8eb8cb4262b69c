// Progress for long CLI commands on stderr (stdout stays clean for results): a cli-progress bar on a
// terminal, and a plain line every few seconds elsewhere (CI logs, pipes), where redrawing a bar
// only repeats itself.
import cliProgress from 'cli-progress';

/** A bar that starts on the first update; `total` may be unknown until the end. */
export interface ProgressBar {
  update(done: number, total: number | undefined): void;
  stop(): void;
}

const PLAIN_LINE_EVERY_MS = 3000;

/**
 * @example
 * const bar = progressBar('取込');
 * await ops.importCsv(lg, stream, { onProgress: (d, t) => bar.update(d, t) });
 * bar.stop();
 */
export function progressBar(label: string, unit = '件'): ProgressBar {
  return process.stderr.isTTY ? terminalBar(label, unit) : plainLines(label, unit);
}

function terminalBar(label: string, unit: string): ProgressBar {
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | 残り {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      const t = total ?? Math.max(done, 1);
      if (!started) {
        bar.start(t, done);
        started = true;
      } else {
        bar.setTotal(t);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function plainLines(label: string, unit: string): ProgressBar {
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < PLAIN_LINE_EVERY_MS) return;
      last = now;
      const share = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
      process.stderr.write(`${label}: ${done.toLocaleString('ja-JP')}${total ? `/${total.toLocaleString('ja-JP')}` : ''} ${unit}${share}\n`);
    },
    stop() {},
  };
}
