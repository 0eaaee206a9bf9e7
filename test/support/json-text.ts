/** JSON text of `{"a":{"a":...1...}}`, `levels` objects deep: built as text, as JSON.stringify overflows on it. */
export function nestedText(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}
