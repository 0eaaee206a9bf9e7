import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Connector } from '../domain/skill';
import type { CrmConnector, CrmPage } from './crm-connector';
import { CrmMisconfigured } from './crm-errors';
import { FORMAT_BY_EXTENSION, readRecords, type RecordFormat } from './record-stream';

export type FileConnectorSettings = Extract<Connector, { Type: 'file' }>;

/**
 * A CSV or NDJSON file, or a folder of them read in name order, as a CRM. The cursor is the
 * number of records already consumed across the whole (ordered) set, so a folder that grows by
 * files sorting after the ones read continues where it stopped. Files are streamed: a fetch holds
 * at most `limit` records in memory, whatever the file's size.
 */
export class FileConnector implements CrmConnector {
  constructor(private readonly settings: FileConnectorSettings) {}

  async fetch(cursor: string | null, limit: number, signal?: AbortSignal): Promise<CrmPage> {
    const skip = parseCursor(cursor);
    const records: unknown[] = [];
    let seen = 0;
    for (const file of await this.files()) {
      for await (const record of recordsOf(file.path, file.format, signal)) {
        if (seen++ < skip) continue;
        records.push(record);
        if (records.length >= limit) return { records, nextCursor: String(skip + records.length) };
      }
    }
    return { records, nextCursor: records.length === 0 ? cursor : String(skip + records.length) };
  }

  private async files(): Promise<{ path: string; format: RecordFormat }[]> {
    const target = this.settings.Path;
    let stat: fs.Stats;
    try {
      stat = await fsp.stat(target);
    } catch {
      throw new CrmMisconfigured(`file connector: ${target} does not exist`);
    }
    if (stat.isFile()) {
      const format = this.settings.Format ?? FORMAT_BY_EXTENSION[path.extname(target).toLowerCase()];
      if (!format) throw new CrmMisconfigured(`file connector: cannot tell the format of ${target}; set Format`);
      return [{ path: target, format }];
    }
    const names = (await fsp.readdir(target)).sort();
    const files: { path: string; format: RecordFormat }[] = [];
    for (const name of names) {
      const format = FORMAT_BY_EXTENSION[path.extname(name).toLowerCase()];
      if (format && (!this.settings.Format || this.settings.Format === format)) {
        files.push({ path: path.join(target, name), format });
      }
    }
    return files;
  }
}

function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d+$/.test(cursor)) throw new CrmMisconfigured('file connector: stored cursor is not a record count');
  return Number(cursor);
}

/** Records of one file, streamed; the stream closes when the caller stops early. */
async function* recordsOf(file: string, format: RecordFormat, signal?: AbortSignal): AsyncGenerator<unknown> {
  const stream = fs.createReadStream(file, signal ? { signal } : {});
  try {
    yield* readRecords(stream, format);
  } finally {
    stream.destroy();
  }
}
