/**
 * CSV as every writer of the service makes it (RFC 4180: fields quoted where they hold a comma,
 * quote, line break or edge spaces; CRLF line ends; objects as JSON).
 *
 * Formula guard: a leading `=`, `+`, `-`, `@`, tab or CR makes a spreadsheet run the cell as a
 * formula (`=HYPERLINK(...)`, `+1 212...`), so a file meant to be opened there (a run's results)
 * gets a `'` before such cells, per OWASP's advice on CSV injection. A file meant to be read back
 * by the importer (the failed-rows file, fixed and imported again) keeps each value exactly as
 * the CRM sent it: `guardFormulas: false`.
 */
export interface CsvOptions {
  guardFormulas: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown, opts: CsvOptions = { guardFormulas: true }): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (opts.guardFormulas && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[], opts: CsvOptions = { guardFormulas: true }): string {
  return `${cells.map((c) => csvCell(c, opts)).join(',')}\r\n`;
}
