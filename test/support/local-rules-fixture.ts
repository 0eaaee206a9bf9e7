import type { LocalCallingRules } from '../../src/domain/local-calling-rules';

/** What a rule of an installation's own file carries: its counsel's citation, date and source. */
export const counselCited = {
  Citation: 'Acme compliance memo 2026-11 (counsel)',
  EffectiveDate: '2026-11-01',
  EffectiveDateBasis: 'InForceOn' as const,
  Source: 'https://intranet.example/compliance/2026-11',
};

/** An installation's rules for Texas (which the repository's file does not carry): 9-21, Sunday 12-21. */
export const texasRules: LocalCallingRules = {
  Version: 'acme-1',
  States: {
    TX: {
      Name: 'Texas',
      Rules: [
        { Kind: 'Hours', Days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], Start: '09:00', End: '21:00', ...counselCited },
        { Kind: 'Hours', Days: ['Sun'], Start: '12:00', End: '21:00', ...counselCited },
      ],
    },
  },
};
