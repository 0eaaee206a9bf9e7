/**
 * The check of one number as it was before it became one named statement (issue 12): the skill
 * read by its own query, then a statement planned on every call whose lists CTE unpacks the
 * skill's body. Kept as the bench's baseline, measured in the same run as checkSuppression.
 */
import type { AppDeps } from '../src/app-deps';
import * as skills from '../src/db/skills';
import { normalizePhone } from '../src/domain/phone-number';
import { e164Digits, leadingPrefixes } from '../src/domain/suppression';

export async function checkAsBefore(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now'>,
  query: { PhoneNumber: string; SkillNo?: number | undefined },
): Promise<{ Suppressed: boolean }> {
  const phone = normalizePhone(query.PhoneNumber, deps.config.defaultCountry);
  if (!phone) throw new Error('not a number');
  const skillNo = query.SkillNo ?? null;
  if (skillNo !== null && !(await skills.findSkill(deps.pool, skillNo))) throw new Error('no such skill');
  const number = e164Digits(phone.phoneNumber);
  const { rows } = await deps.pool.query(
    `WITH lists AS (
       SELECT l.list_id, l.name FROM suppression_lists l
       WHERE l.deleted_at IS NULL
         AND ($4::int IS NULL OR l.all_skills OR l.name IN (
           SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.body->'Compliance'->'SuppressionLists') = 'array'
                                                 THEN s.body->'Compliance'->'SuppressionLists' ELSE '[]'::jsonb END)
           FROM skills s WHERE s.skill_no = $4)))
     SELECT l.name AS "listName", e.number::text AS number, NULL::text AS prefix, e.expires_at AS "expiresAt", e.reason, b.at AS "addedAt"
     FROM suppression_numbers e JOIN lists l USING (list_id) JOIN suppression_batches b USING (batch_id)
     WHERE e.number = $1 AND (e.expires_at IS NULL OR e.expires_at > $3)
     UNION ALL
     SELECT l.name, NULL, e.prefix, e.expires_at, e.reason, b.at
     FROM suppression_prefixes e JOIN lists l USING (list_id) JOIN suppression_batches b USING (batch_id)
     WHERE e.prefix = ANY($2::text[]) AND (e.expires_at IS NULL OR e.expires_at > $3)
     ORDER BY 1, 3 NULLS FIRST`,
    [number, leadingPrefixes(String(number)), deps.now(), skillNo],
  );
  return { Suppressed: rows.length > 0 };
}
