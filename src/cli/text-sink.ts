import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Text written with backpressure: a write waits while the stream's buffer is full, so a slow
 * disk or a slow pipe (`| less`) slows the producer instead of filling memory.
 */
export class TextSink {
  private failure: Error | null = null;

  constructor(
    private readonly stream: Writable,
    private readonly owned: boolean,
  ) {
    stream.on('error', (err) => {
      this.failure = err;
    });
  }

  static stdout(): TextSink {
    return new TextSink(process.stdout, false);
  }

  /** A new file (replacing one of that name); failing to create it throws on the first write. */
  static file(path: string): TextSink {
    return new TextSink(fs.createWriteStream(path), true);
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) {
      await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
      if (this.failure) throw this.failure;
    }
  }

  /** Ends an owned file and waits until it is on disk; stdout is left open. */
  async close(): Promise<void> {
    if (!this.owned) return;
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
