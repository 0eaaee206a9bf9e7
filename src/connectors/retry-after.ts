const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 10 * 60_000;

/**
 * Milliseconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), bounded to
 * [1 s, 10 min] so neither a zero nor a far-future date can stall a skill's refill for good.
 */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header === null || header.trim() === '') return DEFAULT_WAIT_MS;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    ms = Number.isNaN(at) ? DEFAULT_WAIT_MS : at - nowMs;
  }
  return Math.min(MAX_WAIT_MS, Math.max(1000, Math.round(ms)));
}
