import type { DbClient } from '../db/pool';
import { readHistorySince, recordHistorySlot } from '../db/queue-history';
import type { QueueSnapshot } from './read-queue-snapshot';

/** One point of a skill's chart. Short keys: an hour of 10 s samples is 360 of them per skill. */
export interface HistorySample {
  /** Epoch ms. */
  t: number;
  depth: number;
  callable: number;
  low: number | null;
  target: number | null;
}

export interface QueueHistoryOptions {
  /** One sample per slot of this length, however many API processes sample. */
  everyMs?: number;
  /** How far back samples are kept. */
  keepMs?: number;
}

/**
 * The dashboard's last hour of each skill's queue, kept outside the API process so that the page
 * shows history on first load, survives an API restart, and is the same whichever API process
 * answers. One process writes each time slot. Redis: queue/queue-history-redis.ts; Postgres: below.
 */
export interface QueueHistoryStore {
  readonly everyMs: number;
  readonly keepMs: number;
  /** Stores one sample per skill unless another process already took this slot; tells which. */
  record(snapshot: readonly QueueSnapshot[], at: Date): Promise<boolean>;
  /** Every skill's samples since `sinceMs`, oldest first. */
  read(sinceMs: number): Promise<Map<number, HistorySample[]>>;
}

export function historyPeriods(opts: QueueHistoryOptions): { everyMs: number; keepMs: number } {
  return { everyMs: opts.everyMs ?? 10_000, keepMs: opts.keepMs ?? 3_600_000 };
}

/** The history in `queue_history`, a slot taken by inserting it into `queue_history_slots` (migration 030). */
export class PostgresQueueHistory implements QueueHistoryStore {
  readonly everyMs: number;
  readonly keepMs: number;

  constructor(
    private readonly db: DbClient,
    opts: QueueHistoryOptions = {},
  ) {
    ({ everyMs: this.everyMs, keepMs: this.keepMs } = historyPeriods(opts));
  }

  record(snapshot: readonly QueueSnapshot[], at: Date): Promise<boolean> {
    const t = at.getTime();
    return recordHistorySlot(
      this.db,
      Math.floor(t / this.everyMs),
      snapshot.map((s) => ({ skillNo: s.skillNo, t, depth: s.depth, callable: s.callableNow, low: s.lowWaterMark, target: s.targetDepth })),
      t - this.keepMs,
      t - 2 * this.keepMs,
    );
  }

  async read(sinceMs: number): Promise<Map<number, HistorySample[]>> {
    const out = new Map<number, HistorySample[]>();
    for (const r of await readHistorySince(this.db, sinceMs)) {
      const list = out.get(r.skillNo) ?? [];
      list.push({ t: r.t, depth: r.depth, callable: r.callable, low: r.low, target: r.target });
      out.set(r.skillNo, list);
    }
    return out;
  }
}
