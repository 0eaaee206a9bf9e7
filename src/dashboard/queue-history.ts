import type { Redis } from 'ioredis';
import type { QueueSnapshot } from '../services/read-queue-snapshot';

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
  /** Key prefix (the install's QUEUE_PREFIX). */
  prefix: string;
  /** One sample per slot of this length, however many API processes sample. */
  everyMs?: number;
  /** How far back samples are kept. */
  keepMs?: number;
}

/**
 * The dashboard's last hour of each skill's queue, kept in Redis so that the page shows history on
 * first load, survives an API restart, and is the same whichever API process answers. A sorted
 * set per skill, scored by time, trimmed to `keepMs`; a `SET NX` per time slot lets exactly one
 * process write each sample.
 */
export class QueueHistory {
  readonly everyMs: number;
  readonly keepMs: number;
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    opts: QueueHistoryOptions,
  ) {
    this.everyMs = opts.everyMs ?? 10_000;
    this.keepMs = opts.keepMs ?? 3_600_000;
    this.base = `${opts.prefix}:dashboard:history`;
  }

  /** Stores one sample per skill unless another process already took this slot; tells which. */
  async record(snapshot: readonly QueueSnapshot[], at: Date): Promise<boolean> {
    const t = at.getTime();
    const slot = Math.floor(t / this.everyMs);
    const took = await this.redis.set(`${this.base}:slot:${slot}`, '1', 'PX', this.everyMs * 3, 'NX');
    if (took !== 'OK') return false;
    const expireSeconds = Math.ceil((this.keepMs * 2) / 1000);
    const tx = this.redis.multi();
    for (const s of snapshot) {
      const key = this.keyOf(s.skillNo);
      const sample: HistorySample = {
        t,
        depth: s.depth,
        callable: s.callableNow,
        low: s.lowWaterMark,
        target: s.targetDepth,
      };
      tx.zadd(key, t, JSON.stringify(sample));
      tx.zremrangebyscore(key, '-inf', `(${t - this.keepMs}`);
      tx.expire(key, expireSeconds);
      tx.sadd(`${this.base}:skills`, String(s.skillNo));
    }
    tx.expire(`${this.base}:skills`, expireSeconds);
    await tx.exec();
    return true;
  }

  /** Every skill's samples since `sinceMs`, oldest first, in one round trip after the skill list. */
  async read(sinceMs: number): Promise<Map<number, HistorySample[]>> {
    const skills = (await this.redis.smembers(`${this.base}:skills`)).map(Number).filter(Number.isInteger);
    const out = new Map<number, HistorySample[]>();
    if (skills.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const skillNo of skills) pipeline.zrangebyscore(this.keyOf(skillNo), sinceMs, '+inf');
    const replies = (await pipeline.exec()) ?? [];
    skills.forEach((skillNo, i) => {
      const [err, members] = replies[i] ?? [null, []];
      if (err || !Array.isArray(members) || members.length === 0) return;
      out.set(
        skillNo,
        members.map((m) => JSON.parse(String(m)) as HistorySample),
      );
    });
    return out;
  }

  private keyOf(skillNo: number): string {
    return `${this.base}:${skillNo}`;
  }
}
