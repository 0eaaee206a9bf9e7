/**
 * Dot paths into a source record: `contact.phones.0`, `Zip`, `Phone 1` (a CSV header).
 * A segment is any non-empty text without dots or control characters; a numeric segment indexes
 * an array. Reading follows own properties only, so a path can never reach a prototype.
 */
export const MAX_PATH_LENGTH = 200;
export const MAX_PATH_DEPTH = 10;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const CONTROL = /[\u0000-\u001f\u007f]/;
const INDEX = /^(0|[1-9]\d{0,8})$/;

/** Why `path` is not a usable dot path, or undefined when it is. */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'a path must be text';
  if (path.length === 0) return 'the path is empty';
  if (path.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  if (CONTROL.test(path)) return 'the path contains a control character';
  const segments = path.split('.');
  if (segments.length > MAX_PATH_DEPTH) return `the path is deeper than ${MAX_PATH_DEPTH} segments`;
  for (const s of segments) {
    if (s.length === 0) return 'the path has an empty segment';
    if (FORBIDDEN_SEGMENTS.has(s)) return `the path segment '${s}' is not allowed`;
  }
  return undefined;
}

export function isValidPath(path: unknown): path is string {
  return pathProblem(path) === undefined;
}

/** A path split once, for reading many records. */
export type CompiledPath = readonly string[];

export function compilePath(path: string): CompiledPath {
  const problem = pathProblem(path);
  if (problem !== undefined) throw new Error(`invalid path: ${problem}`);
  return Object.freeze(path.split('.'));
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The value at `path` in `record`, or undefined where any step is missing. */
export function readPath(record: unknown, path: string | CompiledPath): unknown {
  const segments = typeof path === 'string' ? compilePath(path) : path;
  let current: unknown = record;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!INDEX.test(segment)) return undefined;
      const i = Number(segment);
      if (i >= current.length) return undefined;
      current = current[i];
    } else {
      if (!hasOwn.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
