import { expect, it } from 'vitest';
import { shownSafely } from '../../src/queue/shown-safely';

it('masks phone numbers in the message a failed job keeps, and leaves clean errors as they are', () => {
  const err = new TypeError('duplicate key value (+12125550100) violates unique constraint');
  const shown = shownSafely(err);
  expect(shown.message).not.toContain('2125550100');
  expect(shown.message).toContain('0100');
  expect(shown.name).toBe('TypeError');
  const clean = new Error('CRM answered 503');
  expect(shownSafely(clean)).toBe(clean);
  expect(shownSafely('call (212) 555-0199 now').message).not.toContain('555-0199');
});
