import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth';
import { CallError } from '../services/errors';
import { withStatus } from '../web/call-error-status';

/**
 * Refusals that hold for every route, before any handler runs (so before anything is written):
 * - a path parameter or query value holding the NUL character (`%00`): Postgres text cannot hold
 *   it, and no name, ID or number the service keeps contains one, so it is refused rather than
 *   sent (a query with it answered 500);
 * - a body nested more than MAX_JSON_DEPTH levels: a 10,000-level record overflowed the stack
 *   while being stored and echoed (500).
 * Both answer 400 InvalidData naming what is wrong.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where = nulIn(request.params, 'path') ?? nulIn(request.query, 'query');
    if (where !== undefined) {
      throw withStatus(new CallError('InvalidData', `${where} holds the NUL character (%00), which no name, ID or value may contain`));
    }
    if (nestsDeeperThan(request.body, MAX_JSON_DEPTH)) {
      throw withStatus(new CallError('InvalidData', `the body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`));
    }
  });
}

/** The first parameter (by name) whose text holds NUL, as `path parameter X` or `query parameter X`. */
function nulIn(values: unknown, kind: 'path' | 'query'): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (name.includes('\u0000') || texts.some((t) => typeof t === 'string' && t.includes('\u0000'))) {
      return `${kind} parameter ${JSON.stringify(name.replace(/\u0000/g, '%00'))}`;
    }
  }
  return undefined;
}
