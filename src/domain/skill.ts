import { z } from 'zod';

/** "HH:MM", 24-hour clock. */
/**
 * The federal calling hours: no telephone solicitation before 8 a.m. or after 9 p.m. local time
 * at the called party's location (47 CFR § 64.1200(c)(1), under the TCPA, 47 U.S.C. § 227(c);
 * in force since December 20, 1992).
 */
export const FEDERAL_HOURS = { Start: '08:00', End: '21:00' } as const;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');

export const ConnectorSchema = z.discriminatedUnion('Type', [
  z.object({
    Type: z.literal('http'),
    Url: z.string().url(),
    Headers: z.record(z.string(), z.string()).optional(),
    RecordsPath: z.string().min(1).default('records'),
    LimitParam: z.string().min(1).default('limit'),
    CursorParam: z.string().min(1).default('cursor'),
    NextCursorPath: z.string().min(1).default('nextCursor'),
    ResultsUrl: z.string().url().optional(),
    TimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  }),
  z.object({
    Type: z.literal('file'),
    /** A .csv or .ndjson file, or a folder of them read in name order. */
    Path: z.string().min(1),
    Format: z.enum(['csv', 'ndjson']).optional(),
  }),
  z.object({
    Type: z.literal('demo'),
    /** Seed of the demo CRM's endless lead stream. */
    Seed: z.number().int().default(1),
    /** Share of deliberately bad rows, 0..1. */
    BadRowRate: z.number().min(0).max(1).default(0.1),
  }),
]);
export type Connector = z.infer<typeof ConnectorSchema>;

export const RefillSchema = z.object({
  Enabled: z.boolean().default(false),
  SourceName: z.string().min(1).max(100),
  LowWaterMark: z.number().int().min(0).default(50),
  TargetDepth: z.number().int().min(1).default(200),
  MaxInventory: z.number().int().min(1).default(1_000_000),
  CheckIntervalSeconds: z.number().int().min(1).max(86_400).default(5),
  NoTimeZoneReject: z.enum(['Yes', 'No']).default('No'),
  TimeZone: z.string().optional(),
  DefaultExpirationDate: z.string().nullable().optional(),
  Connector: ConnectorSchema.optional(),
});
export type Refill = z.infer<typeof RefillSchema>;

/** A suppression list's name, as a SourceName (contract section 8). */
const ListName = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('\u0000'), 'must not hold the NUL character');

/**
 * Which do-not-call lists a skill applies (contract section 8; rules in domain/do-not-call.ts):
 * every list it names here, its DoNotCallList included, plus every list with AllSkills.
 */
export const ComplianceSchema = z.object({
  SuppressionLists: z.array(ListName).max(100).default([]),
  /** The list a `DoNotCall` outcome adds its number to; it is applied as well. */
  DoNotCallList: ListName.optional(),
  /**
   * The states' calling hours, closed days and caps (contract section 9, rules in
   * domain/data/calling-rules.json) apply: by the state of each number's area code and of the
   * contact's State, else Zip, each in its own zone.
   */
  StateRules: z.boolean().default(true),
  /** Claims of one number of a contact over any rolling 24 hours; none when absent. */
  MaxAttemptsPerNumberPer24h: z.number().int().min(1).max(1000).optional(),
  /**
   * Claims of one contact over any rolling 7 days; none when absent. A skill collecting consumer
   * debts sets 7: Regulation F presumes a collector to harass who calls about one debt more than
   * seven times within seven consecutive days (12 CFR § 1006.14(b)(2)(i), in force since
   * November 30, 2021).
   */
  MaxAttemptsPerContactPer7Days: z.number().int().min(1).max(1000).optional(),
  /**
   * Autodialed calls to a wireless number need the called party's prior express consent (47
   * U.S.C. § 227(b)(1)(A)(iii)): when true, a `Mobile` number without mapped consent
   * (`ConsentPath`) goes only to `Manual` claims.
   */
  WirelessConsentRequired: z.boolean().default(false),
});
export type Compliance = z.infer<typeof ComplianceSchema>;

export const SkillBodySchema = z.object({
  Name: z.string().min(1).max(200),
  DefaultExpirationDays: z.number().int().min(1).max(3650).nullable().optional(),
  CallingWindow: z
    .object({ Start: ClockTime.default(FEDERAL_HOURS.Start), End: ClockTime.default(FEDERAL_HOURS.End) })
    .default({ ...FEDERAL_HOURS }),
  MaxAttempts: z.number().int().min(1).max(100).default(3),
  MinRetryMinutes: z.number().int().min(0).max(100_000).default(60),
  Refill: RefillSchema.optional(),
  Compliance: ComplianceSchema.optional(),
});
export type SkillBody = z.infer<typeof SkillBodySchema>;

export interface Skill extends SkillBody {
  SkillNo: number;
}

/**
 * The calling window never reaches outside the federal hours, whatever a skill asks for: a wider
 * window is narrowed, not refused, so an old skill keeps working. Applied when a skill is written
 * (its window columns hold the narrowed window), so SQL reads it as it is.
 */
export function effectiveWindow(w: { Start: string; End: string }): { Start: string; End: string } {
  const start = w.Start < FEDERAL_HOURS.Start ? FEDERAL_HOURS.Start : w.Start;
  const end = w.End > FEDERAL_HOURS.End ? FEDERAL_HOURS.End : w.End;
  return { Start: start, End: end };
}
