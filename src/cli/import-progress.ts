import cliProgress from 'cli-progress';
import type { ImportProgress } from '../services/import-file';

/** How often a non-terminal (a log file, CI) gets a progress line. */
const PLAIN_EVERY_MS = 5_000;

export interface ProgressView {
  update(p: ImportProgress): void;
  stop(): void;
}

/**
 * Import progress on stderr: a bar with records per second on a terminal, one plain line every
 * few seconds elsewhere. The bar runs on bytes read (the file's size is known, its record count
 * is not until the end).
 */
export function importProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressView {
  const started = Date.now();
  const rate = (records: number) => Math.round(records / Math.max((Date.now() - started) / 1000, 0.001));
  if (quiet) return { update: () => undefined, stop: () => undefined };

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'import [{bar}] {percentage}% | {records} records | {failed} failed | {rate} records/s | ETA {eta_formatted}',
        barsize: 30,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update(p) {
        const payload = { records: p.records, failed: p.failed, rate: rate(p.records) };
        if (!begun) {
          bar.start(Math.max(p.totalBytes, 1), p.bytesRead, payload);
          begun = true;
        } else {
          bar.update(Math.min(p.bytesRead, p.totalBytes), payload);
        }
      },
      stop() {
        if (begun) bar.stop();
      },
    };
  }

  let lastLine = 0;
  return {
    update(p) {
      if (Date.now() - lastLine < PLAIN_EVERY_MS) return;
      lastLine = Date.now();
      const percent = p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 100;
      stream.write(`import: ${p.records} records (${percent}% of the file), ${p.failed} failed, ${rate(p.records)} records/s\n`);
    },
    stop: () => undefined,
  };
}
