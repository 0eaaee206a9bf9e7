import type { Redis } from 'ioredis';
import { historyPeriods, type HistorySample, type QueueHistoryOptions, type QueueHistoryStore } from '../services/queue-history-store';
import type { QueueSnapshot } from '../services/read-queue-snapshot';

/**
 * The dashboard's history in Redis (QUEUE_BACKEND=redis): a sorted set per skill, scored by time,
 * trimmed to `keepMs`; a `SET NX` per time slot lets exactly one process write each sample.
 */
export class RedisQueueHistory implements QueueHistoryStore {
  readonly everyMs: number;
  readonly keepMs: number;
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    opts: QueueHistoryOptions & { prefix: string },
  ) {
    ({ everyMs: this.everyMs, keepMs: this.keepMs } = historyPeriods(opts));
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
