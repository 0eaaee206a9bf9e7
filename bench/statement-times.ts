/**
 * Where a use case's time goes in Postgres: every statement the pool's clients send is timed from
 * send to answer (a COPY from its start to the end of its stream) and summed by kind, named from
 * the statement's first words. Only for the bench: it wraps client.query of one pool.
 */
import type pg from 'pg';

export interface StatementTime {
  kind: string;
  count: number;
  ms: number;
}

export interface StatementClock {
  times(): StatementTime[];
  reset(): void;
}

const WRAPPED = Symbol('statement-times');

export function clockStatements(pool: pg.Pool): StatementClock {
  const byKind = new Map<string, StatementTime>();
  const note = (kind: string, ms: number) => {
    const t = byKind.get(kind) ?? { kind, count: 0, ms: 0 };
    t.count++;
    t.ms += ms;
    byKind.set(kind, t);
  };
  // 'acquire' also catches clients connected before the clock was put on.
  pool.on('acquire', (client) => {
    const c = client as pg.PoolClient & { [WRAPPED]?: true };
    if (c[WRAPPED]) return;
    c[WRAPPED] = true;
    const query = c.query.bind(c) as (...args: unknown[]) => unknown;
    (c as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string; on?: unknown };
      const text = typeof first === 'string' ? first : (first.text ?? '');
      const started = performance.now();
      const answer = query(...args);
      if (answer && typeof (answer as Promise<unknown>).then === 'function') {
        (answer as Promise<unknown>).then(
          () => note(kindOf(text), performance.now() - started),
          () => undefined,
        );
      } else if (answer && typeof (answer as { on?: unknown }).on === 'function') {
        const stream = answer as NodeJS.EventEmitter & { text?: string };
        stream.on('finish', () => note(kindOf(stream.text ?? 'COPY'), performance.now() - started));
      }
      return answer;
    };
  });
  return {
    times: () => [...byKind.values()].sort((a, b) => b.ms - a.ms),
    reset: () => byKind.clear(),
  };
}

function kindOf(sql: string): string {
  const words = sql.replace(/\s+/g, ' ').trim();
  // A COPY may come after a prelude (CREATE TEMP TABLE ...; TRUNCATE ...; COPY ...).
  const copy = /COPY (\S+) .*FROM STDIN/i.exec(words);
  if (copy) return `COPY ${copy[1]}`;
  const m =
    /^(INSERT INTO \w+|DELETE FROM \w+|UPDATE \w+|COPY \w+|CREATE TEMP TABLE \w+|TRUNCATE \w+|WITH \w+|SELECT|BEGIN|COMMIT|ROLLBACK)/i.exec(
      words,
    );
  return m ? m[1]! : words.slice(0, 40);
}
