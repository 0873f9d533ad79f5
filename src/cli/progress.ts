import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number, total: number, resources: number): void;
  stop(): void;
}

/**
 * A progress bar (rate and ETA) on a terminal; nothing elsewhere, where the command prints one
 * summary line at the end instead.
 */
export function createProgress(unit: string, stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
  if (stream.isTTY !== true) return undefined;
  const started = Date.now();
  const bar = new SingleBar(
    {
      format: `{bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | {resources} resources | ETA {eta_formatted}`,
      stream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started_ = false;
  let stopped = false;
  return {
    update(done, total, resources) {
      const rate = (done / Math.max((Date.now() - started) / 1000, 1e-3)).toFixed(1);
      if (!started_) {
        bar.start(total, done, { rate, resources });
        started_ = true;
      } else {
        bar.update(done, { rate, resources });
      }
    },
    stop() {
      if (started_ && !stopped) bar.stop();
      stopped = true;
    },
  };
}
