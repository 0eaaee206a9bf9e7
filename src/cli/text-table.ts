export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Numbers are right-aligned unless told otherwise. */
  align?: 'left' | 'right';
}

/** A plain text table with a header row and aligned columns, for people reading a terminal. */
export function textTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => show(r[i]).length)));
  const right = columns.map((c, i) => c.align === 'right' || (c.align === undefined && cells.some((r) => typeof r[i] === 'number')));
  const line = (values: string[]) =>
    values
      .map((v, i) => (right[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of cells) out.push(line(r.map(show)));
  return `${out.join('\n')}\n`;
}

function show(cell: Cell): string {
  if (cell === null || cell === undefined) return '-';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell).replace(/[\r\n\t]+/g, ' ');
}
