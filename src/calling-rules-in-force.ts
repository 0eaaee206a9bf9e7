import { readFileSync } from 'node:fs';
import { callingRules, type CallingRulesFile } from './domain/calling-rules';
import { LocalCallingRulesSchema, withLocalRules } from './domain/local-calling-rules';

/** CALLING_RULES_FILE cannot be read or is not a valid rules file; the message says where. */
export class CallingRulesFileError extends Error {}

/**
 * The calling rules a process applies: the repository's file, plus the installation's own rules
 * when CALLING_RULES_FILE names a file (domain/local-calling-rules.ts). Read and checked once.
 */
function readCallingRulesInForce(path: string | undefined): CallingRulesFile {
  if (path === undefined || path === '') return callingRules;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CallingRulesFileError(`CALLING_RULES_FILE ${path}: ${(err as Error).message}`);
  }
  const parsed = LocalCallingRulesSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new CallingRulesFileError(`CALLING_RULES_FILE ${path} is not a valid rules file:\n${lines.join('\n')}`);
  }
  return withLocalRules(callingRules, parsed.data);
}

let inForce: { path: string | undefined; rules: CallingRulesFile } | undefined;

/**
 * The rules in force for this process: CALLING_RULES_FILE's, read once. loadConfig reads them
 * first (a bad file stops the process at start); the statements and services get the same object.
 */
export function callingRulesInForce(path: string | undefined = process.env.CALLING_RULES_FILE): CallingRulesFile {
  if (inForce === undefined || inForce.path !== path) inForce = { path, rules: readCallingRulesInForce(path) };
  return inForce.rules;
}
