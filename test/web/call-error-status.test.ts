import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_ERROR_STATUS } from '../../src/web/call-error-status';
import { installErrorHandling } from '../../src/api/errors';
import { CALL_ERROR_CODES, CallError, type CallErrorCode } from '../../src/services/errors';

describe('the status of each call error', () => {
  const app = Fastify();
  beforeAll(async () => {
    installErrorHandling(app);
    app.get<{ Params: { code: string } }>('/refuse/:code', async (request) => {
      throw new CallError(request.params.code as CallErrorCode, `refused with ${request.params.code}`);
    });
    await app.ready();
  });
  afterAll(async () => app.close());

  // A code missing from the table is a type error there (`satisfies`); this says so at run time too.
  it('is given for every code and no other, a 4xx or a 5xx', () => {
    expect(Object.keys(CALL_ERROR_STATUS).sort()).toEqual([...CALL_ERROR_CODES].sort());
    for (const code of CALL_ERROR_CODES) {
      expect(CALL_ERROR_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(CALL_ERROR_STATUS[code], code).toBeLessThan(600);
    }
  });

  it('keeps the statuses callers know: 400 unless named here', () => {
    const known: Record<number, CallErrorCode[]> = {
      404: ['UnknownSkill', 'UnknownSource', 'UnknownRun', 'UnknownClaim', 'UnknownList', 'RunNotUndone'],
      409: [
        'ClaimAlreadyReported',
        'ClaimExpired',
        'RefillNotConfigured',
        'InventoryFull',
        'UnknownSuppressionList',
        'ListReadOnly',
        'ListInUse',
        'RunAlreadyUndone',
        'RunBusy',
      ],
      410: ['UndoExpired'],
      413: ['BatchTooLarge'],
      503: ['QueueUnavailable'],
    };
    const statusOf = (code: CallErrorCode) => Number(Object.keys(known).find((s) => known[Number(s)]!.includes(code)) ?? 400);
    for (const code of CALL_ERROR_CODES) expect(CALL_ERROR_STATUS[code], code).toBe(statusOf(code));
  });

  it('is what the API answers, with the code and message in the error body', async () => {
    for (const code of CALL_ERROR_CODES) {
      const res = await app.inject({ method: 'GET', url: `/refuse/${code}` });
      expect(res.statusCode, code).toBe(CALL_ERROR_STATUS[code]);
      expect(res.json()).toEqual({ error: { code, message: `refused with ${code}` } });
    }
  });
});
