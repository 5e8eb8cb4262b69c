// Progress bars for long CLI commands (cli-progress on stderr, so stdout stays clean for results).
import cliProgress from 'cli-progress';

/** A bar that starts on the first update; `total` may be unknown until the end. */
export interface ProgressBar {
  update(done: number, total: number | undefined): void;
  stop(): void;
}

/**
 * @example
 * const bar = progressBar('取込');
 * await ops.importCsv(lg, stream, { onProgress: (d, t) => bar.update(d, t) });
 * bar.stop();
 */
export function progressBar(label: string, unit = '件'): ProgressBar {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar({
    // Off a terminal (CI logs) the bar is redrawn as plain lines, where an ETA only adds noise.
    format: tty ? `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | 残り {eta_formatted}` : `${label} {percentage}% | {value}/{total} ${unit}`,
    stream: process.stderr,
    hideCursor: true,
    // Also draw when stderr is not a terminal (CI logs), at a calmer rate.
    noTTYOutput: true,
    notTTYSchedule: 2000,
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
