import { redactText } from '../observability/redact';

/**
 * The error a job fails with, as the job dashboard will show it: a database or CRM message may
 * quote a value, so phone numbers in it are masked.
 */
export function shownSafely(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(redactText(String(err)));
  const safe = redactText(err.message);
  if (safe === err.message) return err;
  const copy = new Error(safe);
  copy.name = err.name;
  return copy;
}
