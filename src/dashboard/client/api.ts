/**
 * The service's JSON, as the dashboard calls it: the public API (skills, dial queues, runs, refill)
 * and the dashboard's own routes. A 401 sends the browser to the key form.
 */
import type {
  CheckAnswer,
  DialQueueAnswer,
  FailedRecordsAnswer,
  HeldBackAnswer,
  HistoryAnswer,
  OwedAnswer,
  RunListAnswer,
  SessionAnswer,
  SkillListAnswer,
  SkillSuppressionAnswer,
  TriggerRefillAnswer,
  UndoAnswer,
} from '../dashboard-api';

/** Thrown once the page is on its way to the key form: nothing to report. */
export class SignedOut extends Error {}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
    throw new SignedOut('signed out');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(message || `${res.status} ${res.statusText}`);
  }
  return body as T;
}

export const api = {
  session: () => call<SessionAnswer>('/dashboard/api/session'),
  skills: () => call<SkillListAnswer>('/v1/skills'),
  dialQueue: (skillNo: number) => call<DialQueueAnswer>(`/v1/skills/${skillNo}/dial-queue`),
  runs: (skillNo: number) => call<RunListAnswer>(`/v1/runs?SkillNo=${skillNo}`),
  history: () => call<HistoryAnswer>('/dashboard/api/history?minutes=60'),
  owed: () => call<OwedAnswer>('/dashboard/api/owed'),
  heldBack: () => call<HeldBackAnswer>('/dashboard/api/held-back'),
  failedRecords: (runId: number) => call<FailedRecordsAnswer>(`/dashboard/api/runs/${encodeURIComponent(runId)}/failed?Limit=500`),
  skillSuppression: (skillNo: number) => call<SkillSuppressionAnswer>(`/dashboard/api/skills/${skillNo}/suppression`),
  checkSuppression: (phoneNumber: string, skillNo: number) =>
    call<CheckAnswer>(`/v1/suppression?PhoneNumber=${encodeURIComponent(phoneNumber)}&SkillNo=${skillNo}`),
  refill: (skillNo: number) =>
    call<TriggerRefillAnswer>(`/v1/skills/${skillNo}/refill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
  undo: (runId: number) =>
    call<UndoAnswer>(`/v1/runs/${encodeURIComponent(runId)}/undo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
};

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
