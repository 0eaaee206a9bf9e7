import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipeline, type PipelineOptions } from '../../src/domain/pipeline';
import type { RecordFailure } from '../../src/domain/prospect';
import type { SuccessCode } from '../../src/domain/result-code';
import { answerResults, echoRecord, recordResults, type StoredRow } from '../../src/domain/results';
import { validateMapping, type Mapping } from '../../src/domain/source-map';

const v = validateMapping({ ExternalID: 'id', PhoneNumber: ['phone', 'mobile'] }, 10);
if (!v.ok) throw new Error(v.message);
const MAP: Mapping = v.mapping;
const OPTIONS: PipelineOptions = {
  mapping: MAP,
  noTimeZoneReject: 'Yes',
  defaultTimeZone: 'America/Chicago',
  defaultExpirationDate: null,
  defaultExpirationDays: null,
  defaultCountry: 'US',
  maxDestinations: 10,
  now: new Date('2026-06-01T12:00:00Z'),
};

function failure(index: number, record: unknown, resultCode: RecordFailure['resultCode'], resultMessage?: string): RecordFailure {
  return { index, record, externalId: null, resultCode, ...(resultMessage ? { resultMessage } : {}) };
}

describe('answerResults of recordResults', () => {
  it('echoes each record as given plus ResultCode and ResultMessage, in input order within each group', () => {
    const records = [
      { id: 'A1', phone: '(212) 555-0100' },
      { id: 'A2', phone: '12345' },
      'not a record',
      { id: 'A3', phone: '212-736-5000', mobile: '12345' },
    ];
    const out = runPipeline(records, OPTIONS);
    const stored = new Map<number, SuccessCode>([
      [0, 'Created'],
      [3, 'Updated'],
    ]);
    expect(answerResults(recordResults(records, out.rows, out.failures, stored))).toEqual({
      SuccessfulRecords: [
        { id: 'A1', phone: '(212) 555-0100', ResultCode: 'Created' },
        {
          id: 'A3',
          phone: '212-736-5000',
          mobile: '12345',
          ResultCode: 'Updated',
          ResultMessage: 'dropped invalid number(s): *2345 (mobile)',
        },
      ],
      FailedRecords: [
        { id: 'A2', phone: '12345', ResultCode: 'InvalidPhoneNumber', ResultMessage: 'no valid phone number: *2345 (phone)' },
        { Record: 'not a record', ResultCode: 'InvalidRecord', ResultMessage: 'a record must be a JSON object, not text' },
      ],
    });
    // The input records are not changed.
    expect(records[0]).toEqual({ id: 'A1', phone: '(212) 555-0100' });
  });

  it('answers an empty call with two empty groups', () => {
    expect(answerResults(recordResults([], [], [], new Map()))).toEqual({ SuccessfulRecords: [], FailedRecords: [] });
  });

  it('lets a failure the service adds (DoNotCall) stand for a row it did not store', () => {
    const records = [{ id: 'A', phone: '212-736-5000' }];
    const out = runPipeline(records, OPTIONS);
    const dnc = failure(0, records[0], 'DoNotCall', 'every valid number is on a do-not-call list');
    expect(answerResults(recordResults(records, out.rows, [dnc], new Map())).FailedRecords).toEqual([
      { id: 'A', phone: '212-736-5000', ResultCode: 'DoNotCall', ResultMessage: 'every valid number is on a do-not-call list' },
    ]);
  });
});

describe('recordResults', () => {
  it('gives one result per record with index, code, message, external ID and record, from startIndex', () => {
    const records = [{ id: 'X', phone: '212-736-5000' }, 42];
    const out = runPipeline(records, OPTIONS, 100);
    const results = recordResults(records, out.rows, out.failures, new Map([[100, 'Created']]), 100);
    expect(results).toEqual([
      { index: 100, record: records[0], externalId: 'X', resultCode: 'Created' },
      {
        index: 101,
        record: 42,
        externalId: null,
        resultCode: 'InvalidRecord',
        resultMessage: 'a record must be a JSON object, not a number',
      },
    ]);
  });

  it('throws rather than answer a record twice or not at all', () => {
    const records = [{}, {}];
    const rows: StoredRow[] = [];
    expect(() => recordResults(records, rows, [failure(0, {}, 'InvalidRecord')], new Map())).toThrow(/index 1 has no result/);
    expect(() =>
      recordResults(
        records,
        rows,
        [failure(0, {}, 'InvalidRecord')],
        new Map([
          [0, 'Created'],
          [1, 'Created'],
        ]),
      ),
    ).toThrow(/both failed and stored/);
    expect(() =>
      recordResults(records, rows, [failure(0, {}, 'InvalidRecord'), failure(0, {}, 'Expired')], new Map([[1, 'Created']])),
    ).toThrow(/two failures/);
    expect(() =>
      recordResults(
        records,
        rows,
        [],
        new Map([
          [0, 'Created'],
          [1, 'Created'],
          [2, 'Created'],
        ]),
      ),
    ).toThrow(/outside/);
    expect(() =>
      recordResults(
        records,
        rows,
        [failure(5, {}, 'InvalidRecord')],
        new Map([
          [0, 'Created'],
          [1, 'Created'],
        ]),
      ),
    ).toThrow(/outside/);
  });
});

describe('echoRecord', () => {
  it('puts the ResultCode over a property of the same name and wraps non-objects', () => {
    expect(echoRecord({ index: 0, record: { ResultCode: 'mine', a: 1 }, externalId: null, resultCode: 'Created' })).toEqual({
      ResultCode: 'Created',
      a: 1,
    });
    expect(echoRecord({ index: 0, record: [1, 2], externalId: null, resultCode: 'InvalidRecord' })).toEqual({
      Record: [1, 2],
      ResultCode: 'InvalidRecord',
    });
    expect(echoRecord({ index: 0, record: null, externalId: null, resultCode: 'InvalidRecord' })).toEqual({
      Record: null,
      ResultCode: 'InvalidRecord',
    });
  });
});

describe('result properties', () => {
  const record = fc.oneof(
    fc.record({
      id: fc.oneof(fc.constantFrom('A', 'B', 'C', 'D', ''), fc.anything()),
      phone: fc.oneof(fc.constantFrom('212-736-5000', '808-586-0000', '12345', ''), fc.anything()),
    }),
    fc.anything(),
  );

  it('every input index appears exactly once, each group in input order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (records, updated) => {
        const out = runPipeline(records, OPTIONS);
        const stored = new Map<number, SuccessCode>(out.rows.map((r, i) => [r.index, updated[i] ? 'Updated' : 'Created']));
        const results = recordResults(records, out.rows, out.failures, stored);
        expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
        results.forEach((r, i) => expect(r.record).toBe(records[i]));

        const groups = answerResults(results);
        expect(groups.SuccessfulRecords.length + groups.FailedRecords.length).toBe(records.length);
        const successIdx = results.filter((r) => r.resultCode === 'Created' || r.resultCode === 'Updated').map((r) => r.index);
        expect(groups.SuccessfulRecords).toEqual(successIdx.map((i) => echoRecord(results[i]!)));
        const failedIdx = results.map((r) => r.index).filter((i) => !successIdx.includes(i));
        expect(groups.FailedRecords).toEqual(failedIdx.map((i) => echoRecord(results[i]!)));
      }),
    );
  });
});
