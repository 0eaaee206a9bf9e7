/** The URL without its query string: numbers in a query (PhoneNumber=...) never reach a log or a message. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
