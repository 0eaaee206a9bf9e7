import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileConnector } from '../../src/connectors/file-connector';
import { CrmMisconfigured } from '../../src/connectors/crm-errors';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pf-file-connector-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, text);
  return p;
}

/** Everything a connector yields, fetched `step` at a time from the start. */
async function drain(c: FileConnector, step: number): Promise<{ records: unknown[]; cursors: (string | null)[] }> {
  const records: unknown[] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await c.fetch(cursor, step);
    if (page.records.length === 0) break;
    records.push(...page.records);
    cursor = page.nextCursor;
    cursors.push(cursor);
  }
  return { records, cursors };
}

describe('file connector', () => {
  it('reads a CSV with a header row, quoted commas and newlines, and a BOM', async () => {
    const file = await write(
      'leads.csv',
      '\ufeffid,name,phone\nA1,"Lopez, Maria",(212) 555-0100\nA2,"two\nlines",212.555.0101\n\nA3,Kim,\n',
    );
    const { records, cursors } = await drain(new FileConnector({ Type: 'file', Path: file }), 2);
    expect(records).toEqual([
      { id: 'A1', name: 'Lopez, Maria', phone: '(212) 555-0100' },
      { id: 'A2', name: 'two\nlines', phone: '212.555.0101' },
      { id: 'A3', name: 'Kim', phone: '' },
    ]);
    expect(cursors).toEqual(['2', '3']);
  });

  it('keeps a CSV row with too few columns instead of failing the whole file', async () => {
    const file = await write('short.csv', 'id,phone,zip\nB1,2125550100\nB2,2125550101,10001\n');
    const page = await new FileConnector({ Type: 'file', Path: file }).fetch(null, 10);
    expect(page.records).toEqual([
      { id: 'B1', phone: '2125550100' },
      { id: 'B2', phone: '2125550101', zip: '10001' },
    ]);
  });

  it('reads NDJSON, handing a line that is not JSON on as its text', async () => {
    const file = await write('leads.ndjson', '{"id":"N1","phones":["2125550100"]}\n\nnot json\n{"id":"N2"}\n');
    const page = await new FileConnector({ Type: 'file', Path: file }).fetch(null, 10);
    expect(page.records).toEqual([{ id: 'N1', phones: ['2125550100'] }, 'not json', { id: 'N2' }]);
    expect(page.nextCursor).toBe('3');
  });

  it('reads a folder in name order, continuing across files by record count', async () => {
    await write('folder/b.ndjson', '{"id":"b1"}\n{"id":"b2"}\n');
    await write('folder/a.csv', 'id\na1\na2\na3\n');
    await write('folder/notes.txt', 'ignored');
    const c = new FileConnector({ Type: 'file', Path: path.join(dir, 'folder') });
    const { records, cursors } = await drain(c, 2);
    expect(records).toEqual([{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }, { id: 'b1' }, { id: 'b2' }]);
    expect(cursors).toEqual(['2', '4', '5']);
    // Nothing new: the cursor stays where it was.
    await expect(c.fetch('5', 2)).resolves.toEqual({ records: [], nextCursor: '5' });
    // A file sorting after the others continues the stream.
    await write('folder/c.ndjson', '{"id":"c1"}\n');
    await expect(c.fetch('5', 2)).resolves.toEqual({ records: [{ id: 'c1' }], nextCursor: '6' });
  });

  it('uses Format for a file whose extension says nothing', async () => {
    const file = await write('export.txt', 'id\nX1\n');
    await expect(new FileConnector({ Type: 'file', Path: file }).fetch(null, 5)).rejects.toBeInstanceOf(CrmMisconfigured);
    const page = await new FileConnector({ Type: 'file', Path: file, Format: 'csv' }).fetch(null, 5);
    expect(page.records).toEqual([{ id: 'X1' }]);
  });

  it('refuses a missing path', async () => {
    await expect(new FileConnector({ Type: 'file', Path: path.join(dir, 'nope.csv') }).fetch(null, 5)).rejects.toBeInstanceOf(
      CrmMisconfigured,
    );
  });
});
