import type { AppDeps } from '../app-deps';
import { findClaim } from '../db/claims';
import { UUID, unknownClaim } from './record-outcome';

/** A claim as GET /v1/claims/{ClaimId} answers it (contract section 9). */
export interface ClaimRecordView {
  ClaimId: string;
  SkillNo: number;
  /** Null when the contact has since been removed. */
  ExternalID: string | null;
  SourceName: string | null;
  PhoneNumber: string | null;
  Attempt: number;
  Mode: string;
  ManualDialOnly: boolean;
  ClaimedAt: string;
  ExpiresAt: string;
  /** Null while none was reported (a lapsed claim keeps null). */
  Outcome: string | null;
  ReportedAt: string | null;
  /** The calling-rules file's Version the claim was made under. */
  RulesVersion: string | null;
  /** The caps that applied to this claim's contact and number when it was made. */
  Caps: Array<{ Rule: string; Calls: number; WindowHours: number; Scope: string }>;
}

/** GET /v1/claims/{ClaimId}: the claim, its outcome, the rules version and caps it was made under. */
export async function readClaim(deps: Pick<AppDeps, 'pool'>, claimId: string): Promise<ClaimRecordView> {
  if (!UUID.test(claimId)) throw unknownClaim(claimId);
  const c = await findClaim(deps.pool, claimId.toLowerCase());
  if (c === null) throw unknownClaim(claimId);
  return {
    ClaimId: c.claimId,
    SkillNo: c.skillNo,
    ExternalID: c.externalId,
    SourceName: c.sourceName,
    PhoneNumber: c.phoneNumber,
    Attempt: c.attempt,
    Mode: c.mode,
    ManualDialOnly: c.manualDialOnly,
    ClaimedAt: c.claimedAt.toISOString(),
    ExpiresAt: c.expiresAt.toISOString(),
    Outcome: c.outcome,
    ReportedAt: c.reportedAt?.toISOString() ?? null,
    RulesVersion: c.rulesVersion,
    Caps: c.caps,
  };
}
