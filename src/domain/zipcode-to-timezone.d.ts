declare module 'zipcode-to-timezone' {
  /** The IANA zone of a 5-digit US ZIP code, or null when the package does not know it. */
  export function lookup(zipcode: string): string | null;
}
