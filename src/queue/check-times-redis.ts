import type { Redis } from 'ioredis';
import type { CheckTimes } from '../services/brain-tick';
import { redisKeys } from './queue-settings';

/** The brain's last-check times in one Redis hash (SkillNo -> epoch ms): one read a tick. */
export class RedisCheckTimes implements CheckTimes {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = redisKeys(prefix).lastCheck;
  }

  async read(): Promise<Map<number, number>> {
    const all = await this.redis.hgetall(this.key);
    return new Map(Object.entries(all).map(([skillNo, ms]) => [Number(skillNo), Number(ms)]));
  }

  async record(checks: readonly { skillNo: number; checkMs: number }[]): Promise<void> {
    if (checks.length > 0) await this.redis.hset(this.key, Object.fromEntries(checks.map((c) => [String(c.skillNo), String(c.checkMs)])));
  }

  async forget(skillNos: readonly number[]): Promise<void> {
    if (skillNos.length > 0) await this.redis.hdel(this.key, ...skillNos.map(String));
  }
}
