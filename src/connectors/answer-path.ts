/**
 * Reads a dot path (`data.items`, `page.next.0`) in a CRM's JSON answer; `.` names the answer
 * itself, for a CRM that answers a bare array.
 */
export function readAnswerPath(answer: unknown, path: string): unknown {
  if (path === '' || path === '.') return answer;
  let here: unknown = answer;
  for (const step of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[step];
  }
  return here;
}
