import readline from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineBatches } from '../../src/connectors/text-lines';

async function viaLineBatches(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of lineBatches(Readable.from(chunks))) lines.push(...batch);
  return lines;
}

async function viaReadline(text: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readline.createInterface({ input: Readable.from([text]), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

/** Text cut into chunks at arbitrary places (a CRLF may be cut in two). */
const chunked = fc
  .array(fc.oneof(fc.constantFrom('\r', '\n', '\r\n', '', ','), fc.stringMatching(/^[0-9+() -]{0,14}$/)), { maxLength: 40 })
  .chain((parts) => {
    const text = parts.join('');
    return fc.uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 6 }).map((cuts) => {
      const at = [0, ...cuts.sort((a, b) => a - b), text.length];
      return { text, chunks: at.slice(1).map((end, i) => text.slice(at[i], end)) };
    });
  });

describe('lineBatches', () => {
  it('splits lines as readline does (CRLF, LF or lone CR), however the text is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(chunked, async ({ text, chunks }) => {
        expect(await viaLineBatches(chunks)).toEqual(await viaReadline(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a CRLF cut between two chunks one line end', async () => {
    expect(await viaLineBatches(['a\r', '\nb\r', '\r\nc'])).toEqual(['a', 'b', '', 'c']);
  });
});
