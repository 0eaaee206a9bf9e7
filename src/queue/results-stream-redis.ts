import type { Redis } from 'ioredis';
import type { PublishedRun } from '../services/publish-results';
import { RESULTS_STREAM_MAXLEN, type ResultsEntry, type ResultsStream } from '../services/results-stream';
import { redisKeys } from './queue-settings';

/**
 * The results stream in Redis (QUEUE_BACKEND=redis): `<prefix>:results`, trimmed to about
 * RESULTS_STREAM_MAXLEN entries; each entry holds RunId, SkillNo, SourceName, Counts and Results (JSON).
 */
export class RedisResultsStream implements ResultsStream {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = redisKeys(prefix).results;
  }

  async append(run: PublishedRun): Promise<void> {
    await this.redis.xadd(
      this.key,
      'MAXLEN',
      '~',
      RESULTS_STREAM_MAXLEN,
      '*',
      'RunId',
      String(run.RunId),
      'SkillNo',
      String(run.SkillNo),
      'SourceName',
      run.SourceName,
      'Counts',
      JSON.stringify(run.Counts),
      'Results',
      JSON.stringify(run.Results),
    );
  }

  async read(cursor: string, count: number): Promise<ResultsEntry[]> {
    const entries = await this.redis.xrange(this.key, cursor === '0' ? '-' : `(${cursor}`, '+', 'COUNT', count);
    return entries.map(([id, flat]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i]!, flat[i + 1]!);
      return {
        id,
        run: {
          RunId: Number(f.get('RunId')),
          SkillNo: Number(f.get('SkillNo')),
          SourceName: f.get('SourceName') ?? '',
          Counts: JSON.parse(f.get('Counts') ?? '{}') as PublishedRun['Counts'],
          Results: JSON.parse(f.get('Results') ?? '{}') as PublishedRun['Results'],
        },
      };
    });
  }
}
