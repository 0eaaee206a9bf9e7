import { freshness, mustCountExactly, refreshAtAge, type CountCopy, type FreshnessRule } from '../domain/count-freshness';

/** A count as served: its value and when (on the clock passed in) it was taken. */
export interface Counted<T> extends CountCopy {
  value: T;
}

export interface FreshCountsOptions<T> {
  rule: FreshnessRule;
  /** The clock the copies' ages are read on (the service's). */
  now: () => Date;
  /** Counts `key` as of `at`. */
  count: (key: number, at: Date) => Promise<T>;
  /**
   * While a key was read within this many ms, its copy is kept fresh in the background, so that
   * a reader polling less often than once a second (the dashboard, every 4 s) still finds one.
   * 0: only reads start counts.
   */
  watchMs: number;
  /** The rows a count went over (for the rule's exactBelowSize). */
  sizeOf?: (value: T) => number | undefined;
}

/**
 * Counts per key, served from a copy while the rule allows (at most `rule.maxAgeMs` old, and only
 * for counts slow enough to be worth it), else counted again; one count per key at a time, shared
 * by the readers waiting for it.
 */
export class FreshCounts<T> {
  private readonly copies = new Map<number, Counted<T>>();
  private readonly running = new Map<number, Promise<Counted<T>>>();
  private readonly lastRead = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** When each running count was started, on the clock passed in. */
  private readonly startedAt = new Map<number, number>();

  constructor(private readonly opts: FreshCountsOptions<T>) {}

  async read(key: number): Promise<Counted<T>> {
    const now = this.opts.now().getTime();
    this.lastRead.set(key, now);
    const copy = this.copies.get(key);
    switch (freshness(this.opts.rule, copy, now)) {
      case 'serve':
        return copy!;
      case 'serve-and-refresh':
        this.refresh(key).catch(() => undefined);
        return copy!;
      case 'count': {
        // Readers of a slow key (or one not counted yet) share a count under way that is young
        // enough to serve; a fast key's reader counts for itself, so its answer stays exact.
        const under = this.running.get(key);
        const started = this.startedAt.get(key);
        const slow = copy === undefined || !mustCountExactly(this.opts.rule, copy);
        if (under && slow && started !== undefined && started <= now && now - started <= this.opts.rule.maxAgeMs) return under;
        return this.count(key);
      }
    }
  }

  /** Stops the background counts. */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.lastRead.clear();
  }

  private refresh(key: number): Promise<Counted<T>> {
    return this.running.get(key) ?? this.count(key);
  }

  private count(key: number): Promise<Counted<T>> {
    const at = this.opts.now();
    const started = performance.now();
    const counting = this.opts.count(key, at).then(
      (value) => {
        const size = this.opts.sizeOf?.(value);
        const counted: Counted<T> = {
          value,
          takenAt: at.getTime(),
          tookMs: performance.now() - started,
          ...(size !== undefined ? { size } : {}),
        };
        const newest = this.copies.get(key);
        if (!newest || newest.takenAt <= counted.takenAt) this.copies.set(key, counted);
        this.settle(key, counting);
        this.watch(key, counted);
        return counted;
      },
      (err: unknown) => {
        this.settle(key, counting);
        throw err;
      },
    );
    this.running.set(key, counting);
    this.startedAt.set(key, at.getTime());
    return counting;
  }

  private settle(key: number, counting: Promise<Counted<T>>): void {
    if (this.running.get(key) === counting) {
      this.running.delete(key);
      this.startedAt.delete(key);
    }
  }

  /** Keeps a watched key's copy fresh: its next count starts when the copy reaches refreshAtAge. */
  private watch(key: number, counted: Counted<T>): void {
    const { rule, watchMs } = this.opts;
    const lastRead = this.lastRead.get(key);
    const now = this.opts.now().getTime();
    // A count slower than the copy may live could never be served: counting on would only load
    // the database, so readers then wait for their own count.
    const useless = counted.tookMs + rule.marginMs >= rule.maxAgeMs;
    if (watchMs <= 0 || useless || mustCountExactly(rule, counted) || lastRead === undefined || now - lastRead > watchMs) {
      this.lastRead.delete(key);
      return;
    }
    if (this.timers.has(key)) return;
    const delay = Math.max(0, counted.takenAt + refreshAtAge(rule, counted) - now);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // A failed background count (the pool closed) ends the watch; the next read counts again.
      this.refresh(key).catch(() => this.lastRead.delete(key));
    }, delay);
    timer.unref();
    this.timers.set(key, timer);
  }
}
