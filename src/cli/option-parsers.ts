import { InvalidArgumentError } from 'commander';

/** A whole number >= `min`, for options such as --skill, --count, --batch. */
export function wholeNumber(min = 1, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${n}`);
    return n;
  };
}

/** A SkillNo: a positive integer as the database holds it. */
export const skillNo = wholeNumber(1, 2_147_483_647);

/** A number from 0 to 1, such as a share of rows. */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  }
  return n;
}
