import { z } from 'zod';
import { PHONE_TYPES, TIME_ZONE_SOURCES } from '../domain/prospect';
import { SkillBodySchema } from '../domain/skill';
import { CreateProspectsInputSchema } from '../services/create-prospects';
import { RemoveProspectsInputSchema } from '../services/remove-prospects';
import { SkillNoTextSchema, ValidSkillBodySchema } from '../services/skills';

export const ErrorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ description: 'Every refusal and failure' });

/** The answers every route may give besides its own success. */
export const errorResponses = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema } as const;

export const SkillNoParams = z.object({ SkillNo: SkillNoTextSchema });

export const SkillBody = ValidSkillBodySchema;

export const SkillSchema = SkillBodySchema.extend({ SkillNo: z.number().int() });
export const PutSkillResponse = SkillSchema.extend({ Result: z.enum(['Created', 'Updated']) });
export const SkillListResponse = z.object({ Skills: z.array(SkillSchema) });

export const SourceNameParams = z.object({ SourceName: z.string() });

export const SourceMapBody = z.unknown().meta({
  description:
    '{ "Mapping": { SystemField: SourcePath | [SourcePath | { "Path", "Type" }, ...] } }; keys are system fields ' +
    '(ExternalID, FirstName, PhoneNumber, ..., Custom.<Name>), values dot paths into the source record',
  example: {
    Mapping: { ExternalID: 'id', FirstName: 'first', PhoneNumber: ['phones.0', { Path: 'mobile', Type: 'Mobile' }], Zip: 'address.zip' },
  },
});

export const SetSourceMapResponse = z.object({
  SourceName: z.string(),
  Version: z.number().int(),
  Result: z.enum(['Created', 'Updated', 'NoChangesMade']),
});

export const SourceMapResponse = z.object({
  SourceName: z.string(),
  Version: z.number().int(),
  Mapping: z.unknown(),
});

/** Records echoed back as given plus ResultCode (and ResultMessage). */
const ResultRecords = z.array(z.unknown());
export const ResultsResponse = z.object({
  Results: z.object({ SuccessfulRecords: ResultRecords, FailedRecords: ResultRecords }),
});

/** ResultCode -> number of records (a dry run's, an undo's answer). */
export const SummarySchema = z.record(z.string(), z.number().int()).meta({ description: 'ResultCode -> number of records' });

export const CreateProspectsBody = CreateProspectsInputSchema;
export const RemoveProspectsBody = RemoveProspectsInputSchema;

export const ProspectsQuery = z.object({
  SourceName: z.string().min(1).optional(),
  ExternalID: z.string().min(1).optional(),
  PhoneNumber: z.string().min(1).optional(),
  Limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be a whole number from 1 to 1000')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'))
    .optional(),
});

export const ProspectsResponse = z.object({
  Prospects: z.array(
    z.object({
      ExternalID: z.string(),
      SourceName: z.string(),
      FirstName: z.string().nullable(),
      LastName: z.string().nullable(),
      TimeZone: z.string(),
      TimeZoneSource: z.enum(TIME_ZONE_SOURCES),
      ExpirationDate: z.string().nullable(),
      Priority: z.number(),
      Score: z.number().nullable(),
      Fields: z.record(z.string(), z.unknown()),
      Status: z.string(),
      Destinations: z.array(z.object({ PhoneNumber: z.string(), Type: z.enum(PHONE_TYPES), TimeZone: z.string() })),
    }),
  ),
});

export const ListNameParams = z.object({ ListName: z.string().min(1).max(100) });

export const SuppressionListSchema = z.object({
  ListName: z.string(),
  Description: z.string().nullable(),
  AllSkills: z.boolean(),
  BuiltIn: z.boolean(),
  Entries: z.number().int().meta({ description: 'Numbers and prefixes stored, expired ones included until removed' }),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
});
export const PutSuppressionListResponse = SuppressionListSchema.extend({ Result: z.enum(['Created', 'Updated']) });
export const DeleteSuppressionListResponse = SuppressionListSchema.extend({ Result: z.literal('Deleted') });
export const SuppressionListsResponse = z.object({
  Lists: z.array(SuppressionListSchema),
  Rules: z.array(
    z.object({
      Name: z.string(),
      Citation: z.string(),
      EffectiveDate: z.string().nullable(),
      Rule: z.string(),
      Period: z.object({ Value: z.number(), Unit: z.enum(['BusinessDays', 'Days', 'Years']) }),
    }),
  ),
});

export const SuppressionHistoryResponse = z.object({
  ListName: z.string(),
  PhoneNumber: z.string().optional(),
  Prefix: z.string().optional(),
  History: z.array(
    z.object({
      Action: z.enum(['Added', 'Removed']),
      At: z.string(),
      Role: z.string().nullable(),
      Source: z.string(),
      Reason: z.string().nullable(),
      ExpiresAt: z.string().nullable(),
      ClaimId: z.string().nullable(),
      FileName: z.string().nullable(),
      Current: z.boolean(),
    }),
  ),
});

export const SuppressionCheckResponse = z.object({
  PhoneNumber: z.string(),
  SkillNo: z.number().optional(),
  Suppressed: z.boolean(),
  Matches: z.array(
    z.object({
      ListName: z.string(),
      PhoneNumber: z.string().optional(),
      Prefix: z.string().optional(),
      ExpiresAt: z.string().nullable(),
      Reason: z.string().nullable(),
      AddedAt: z.string(),
    }),
  ),
});
