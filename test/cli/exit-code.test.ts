import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/cli-runtime';
import { CALL_ERROR_EXIT_CODE, ExitCode, UsageError } from '../../src/cli/exit-code';
import { CALL_ERROR_CODES, CallError } from '../../src/services/errors';

describe('the exit code of an error', () => {
  afterEach(() => vi.restoreAllMocks());

  /** reportError's answer and what it wrote on stderr. */
  function reported(err: unknown): { exit: number; stderr: string } {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const exit = reportError(err);
    vi.restoreAllMocks();
    return { exit, stderr };
  }

  it('is given for every call error code and no other', () => {
    expect(Object.keys(CALL_ERROR_EXIT_CODE).sort()).toEqual([...CALL_ERROR_CODES].sort());
  });

  it('is 2 for every call-level refusal (contract section 6), named by its code on stderr', () => {
    for (const code of CALL_ERROR_CODES) {
      const { exit, stderr } = reported(new CallError(code, 'the reason'));
      expect(exit, code).toBe(CALL_ERROR_EXIT_CODE[code]);
      expect(exit, code).toBe(ExitCode.Usage);
      expect(stderr).toBe(`prospect-feeder: ${code}: the reason\n`);
    }
  });

  it('is 2 for a usage error and 1 for a failure of the service itself', () => {
    expect(reported(new UsageError('InvalidData', 'choose one'))).toEqual({
      exit: 2,
      stderr: 'prospect-feeder: InvalidData: choose one\n',
    });
    expect(reported(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({
      exit: 1,
      stderr: 'prospect-feeder: ECONNREFUSED: connect ECONNREFUSED\n',
    });
  });
});
