import type { RecordResult } from '../domain/prospect';
import { echoRecord } from '../domain/results';
import { isPlainObject } from '../domain/plain-object';
import type { RecordFormat } from '../services/record-file';
import { csvLine } from '../services/csv';

/** Read back by the importer once fixed: values exactly as the CRM sent them (see services/csv). */
const AS_READ = { guardFormulas: false };
import { TextSink } from './text-sink';

/**
 * The failed rows of an import, in the input's own format with ResultCode and ResultMessage
 * added, so the file can be fixed and imported again. CSV keeps the input's columns in order;
 * NDJSON writes each record as given (a line that was not JSON as `{ "Record": "<line>" }`).
 */
export class FailedRowsFile {
  private sink: TextSink | null = null;
  private header: string[] | null = null;
  rows = 0;

  constructor(
    private readonly path: string,
    private readonly format: RecordFormat,
  ) {}

  /** Creates the file now, so a bad path fails before the import starts and an empty run leaves an empty file. */
  async open(): Promise<void> {
    this.sink = TextSink.file(this.path);
    await this.sink.write('');
  }

  async write(failures: readonly RecordResult[], columns: readonly string[] | null): Promise<void> {
    const sink = this.sink ?? (await this.openNow());
    if (this.format === 'ndjson') {
      let text = '';
      for (const f of failures) text += `${JSON.stringify(echoRecord(f))}\n`;
      await sink.write(text);
    } else {
      if (this.header === null) {
        this.header = [...(columns ?? []), 'ResultCode', 'ResultMessage'];
        await sink.write(csvLine(this.header, AS_READ));
      }
      const fields = this.header.slice(0, -2);
      let text = '';
      for (const f of failures) {
        const record = isPlainObject(f.record) ? f.record : {};
        text += csvLine([...fields.map((c) => record[c]), f.resultCode, f.resultMessage ?? ''], AS_READ);
      }
      await sink.write(text);
    }
    this.rows += failures.length;
  }

  /** `columns`: the CSV header, written even when no row failed. */
  async close(columns: readonly string[] | null): Promise<void> {
    if (this.format === 'csv' && this.header === null && columns !== null && this.sink) {
      this.header = [...columns, 'ResultCode', 'ResultMessage'];
      await this.sink.write(csvLine(this.header, AS_READ));
    }
    await this.sink?.close();
  }

  private async openNow(): Promise<TextSink> {
    await this.open();
    return this.sink!;
  }
}
