import { DEMO_SOURCE_MAP } from '../connectors/demo-crm';

export const DEMO_SKILL_NO = 9001;
export const DEMO_SOURCE_NAME = 'demo-crm';

/**
 * The demo skill, refilled from the demo CRM at `crmUrl` (as the workers reach it: in docker
 * compose that is the CRM service's name, not localhost). MaxInventory stays small so that
 * outside calling hours, when nothing is callable and CallableNow stays 0, the brain stops
 * fetching instead of filling the database.
 */
export function demoSkillBody(crmUrl: string): Record<string, unknown> {
  return {
    Name: 'Demo skill (built-in demo CRM)',
    CallingWindow: { Start: '08:00', End: '21:00' },
    MaxAttempts: 3,
    MinRetryMinutes: 2,
    Refill: {
      Enabled: true,
      SourceName: DEMO_SOURCE_NAME,
      LowWaterMark: 20,
      TargetDepth: 100,
      MaxInventory: 2_000,
      CheckIntervalSeconds: 2,
      NoTimeZoneReject: 'No',
      Connector: { Type: 'http', Url: `${crmUrl}/leads`, ResultsUrl: `${crmUrl}/results` },
    },
  };
}

/**
 * Creates (or updates) the demo source map and skill through the public API, for a dialer
 * container that only knows the API's URL and a key.
 */
export async function ensureDemoSkillViaApi(opts: { apiUrl: string; crmUrl: string; apiKey?: string; skillNo?: number }): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  const put = async (path: string, body: unknown) => {
    const res = await fetch(`${opts.apiUrl}${path}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`PUT ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  };
  await put(`/v1/source-maps/${DEMO_SOURCE_NAME}`, { Mapping: DEMO_SOURCE_MAP });
  await put(`/v1/skills/${opts.skillNo ?? DEMO_SKILL_NO}`, demoSkillBody(opts.crmUrl));
}
