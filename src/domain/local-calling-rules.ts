import { z } from 'zod';
import { StateRulesSchema, type CallingRulesFile } from './calling-rules';

/**
 * An installation's own calling rules (CALLING_RULES_FILE): rules its counsel has read and the
 * repository's file does not carry yet (a state whose text we could not read, a company policy
 * such as "no Sundays anywhere"). Same rule shapes as the repository's file, each with its
 * citation, effective date and source. They are added to the repository's rules and can only
 * narrow them: hours intersect, closed days and caps add up (stateCalendar).
 */
export const LocalCallingRulesSchema = z
  .object({
    /** Recorded on every claim after the repository's version: `<repository Version>+<this>`. */
    Version: z.string().regex(/^[\w.:-]{1,40}$/, 'letters, digits and . : - _ only, at most 40'),
    States: StateRulesSchema,
  })
  .strict();
export type LocalCallingRules = z.infer<typeof LocalCallingRulesSchema>;

/** The repository's rules with the installation's added, state by state. */
export function withLocalRules(file: CallingRulesFile, local: LocalCallingRules): CallingRulesFile {
  const states = { ...file.States };
  for (const [state, entry] of Object.entries(local.States)) {
    const shipped = states[state];
    states[state] = shipped === undefined ? entry : { Name: shipped.Name, Rules: [...shipped.Rules, ...entry.Rules] };
  }
  return { ...file, Version: `${file.Version}+${local.Version}`, States: states };
}
