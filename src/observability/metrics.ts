import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DIAL_OUTCOMES } from '../domain/dial-outcome';
import { RESULT_CODES } from '../domain/result-code';

/** One skill's dialing queue as the gauges show it. */
export interface DialQueueDepth {
  skillNo: number;
  depth: number;
  callableNow: number;
}

/** What a BullMQ Queue offers the scrape; the real `Queue` fits. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(): Promise<Record<string, number>>;
}

/** Write-backs still owed, as the gauges show them: a count and an age, no record, no number. */
export interface OwedWriteBacks {
  count: number;
  /** Age of the oldest owed write-back's run; 0 when none is owed. */
  oldestSeconds: number;
}

/** One suppression list's size as the gauge shows it: its name (or id) and its entry count, never a number. */
export interface SuppressionListSize {
  listId: number;
  name: string;
  entries: number;
}

/** Read at each scrape, so `/metrics` of any role shows the current state, not the brain's last tick. */
export interface ScrapeSources {
  /** One set-based read of every skill's depth. */
  dialQueueDepths?: () => Promise<DialQueueDepth[]>;
  queues?: readonly CountableQueue[];
  /** One read of the write-backs still owed (Pending) and the oldest one's age. */
  owedWriteBacks?: () => Promise<OwedWriteBacks>;
  /** One read of every suppression list's maintained entry count. */
  suppressionListSizes?: () => Promise<SuppressionListSize[]>;
  /** Told when a source fails; the scrape still answers with what it has. */
  onError?: (source: string, err: unknown) => void;
}

const KNOWN_CODES = new Set<string>(RESULT_CODES);
const KNOWN_OUTCOMES = new Set<string>(DIAL_OUTCOMES);
/** Label values are chosen from fixed sets or plain identifiers: never caller text, never a number. */
const PLAIN_LABEL = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
/** A run of digits long enough to be (part of) a phone number. */
const DIGIT_RUN = /[0-9]{5,}/;

/**
 * A list's label: its name when that is a plain identifier holding no long run of digits (a list
 * named after a number must not put the number in a label), else `list_<id>`, or `other` where
 * the id is not at hand.
 */
export function listLabel(name: string, listId?: number): string {
  if (PLAIN_LABEL.test(name) && !DIGIT_RUN.test(name)) return name;
  return listId === undefined ? 'other' : `list_${listId}`;
}

/**
 * The service's Prometheus series in a registry of its own. One instance per process
 * (`serviceMetrics`); tests make their own.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private sources: ScrapeSources = {};

  private readonly records = new Counter({
    name: 'prospect_feeder_records_total',
    help: 'Records processed by create-prospects, by ResultCode.',
    labelNames: ['result_code'],
    registers: [this.registry],
  });

  private readonly claims = new Counter({
    name: 'prospect_feeder_claims_total',
    help: 'Numbers handed out to dialers by the dialing queue, by skill.',
    labelNames: ['skill_no'],
    registers: [this.registry],
  });

  private readonly outcomes = new Counter({
    name: 'prospect_feeder_outcomes_total',
    help: 'Call outcomes recorded from dialers, by Outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly refusedAtLoad = new Counter({
    name: 'prospect_feeder_suppressed_at_load_total',
    help: 'Numbers dropped from loads because a suppression list holds them, by the list that holds them.',
    labelNames: ['list'],
    registers: [this.registry],
  });

  private readonly skippedAtClaim = new Counter({
    name: 'prospect_feeder_suppressed_at_claim_total',
    help: "Suppressed numbers a claim passed over for a contact's next number, by skill.",
    labelNames: ['skill_no'],
    registers: [this.registry],
  });

  private readonly fetchDuration = new Histogram({
    name: 'prospect_feeder_fetch_duration_seconds',
    help: 'Duration of refill fetch jobs, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'prospect_feeder_http_request_duration_seconds',
    help: 'HTTP request durations by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly depthGauge = new Gauge({
    name: 'prospect_feeder_dial_queue_depth',
    help: 'Active prospects (contacts) in the dialing queue of a skill.',
    labelNames: ['skill_no'],
    registers: [this.registry],
  });

  private readonly callableGauge = new Gauge({
    name: 'prospect_feeder_dial_queue_callable_now',
    help: 'Prospects of a skill with a destination callable now and not claimed.',
    labelNames: ['skill_no'],
    registers: [this.registry],
  });

  private readonly jobsGauge = new Gauge({
    name: 'prospect_feeder_jobs',
    help: 'BullMQ jobs by queue and state.',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });

  private readonly owedGauge = new Gauge({
    name: 'prospect_feeder_writebacks_owed',
    help: 'Runs whose results the CRM (ResultsUrl) is still owed: write-backs Pending.',
    registers: [this.registry],
  });

  private readonly owedAgeGauge = new Gauge({
    name: 'prospect_feeder_writebacks_owed_oldest_seconds',
    help: 'Age of the oldest run whose write-back is still owed; 0 when none is.',
    registers: [this.registry],
  });

  private readonly suppressionGauge = new Gauge({
    name: 'prospect_feeder_suppression_list_entries',
    help: 'Entries (numbers and prefixes, expired ones until removed) of each do-not-call list, by list name.',
    labelNames: ['list'],
    registers: [this.registry],
  });

  private readonly scrapeErrors = new Counter({
    name: 'prospect_feeder_scrape_errors_total',
    help: 'Sources that failed while /metrics was collected.',
    labelNames: ['source'],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'prospect_feeder_' });
    }
  }

  /** Where the scrape-time gauges read from; replaces what was set before. */
  setSources(sources: ScrapeSources): void {
    this.sources = sources;
  }

  /** Adds one create-prospects call's (or fetch run's) counts, keyed by ResultCode. */
  observeResults(counts: Readonly<Record<string, number>>): void {
    for (const [code, n] of Object.entries(counts)) {
      if (n > 0) this.records.inc({ result_code: KNOWN_CODES.has(code) ? code : 'Other' }, n);
    }
  }

  /** Adds the numbers one claim handed out for a skill. */
  observeClaims(skillNo: number, count: number): void {
    if (count > 0 && Number.isSafeInteger(skillNo)) this.claims.inc({ skill_no: String(skillNo) }, count);
  }

  /** Counts one recorded outcome (NoAnswer, RightParty, ...). */
  /** Numbers refused at load, by list name (a name that could hide a number is shown as `other`). */
  observeSuppressedAtLoad(byList: ReadonlyMap<string, number>): void {
    for (const [list, n] of byList) this.refusedAtLoad.inc({ list: listLabel(list) }, n);
  }

  observeSuppressedAtClaim(skillNo: number, count: number): void {
    if (count > 0) this.skippedAtClaim.inc({ skill_no: String(skillNo) }, count);
  }

  observeOutcome(outcome: string): void {
    this.outcomes.inc({ outcome: KNOWN_OUTCOMES.has(outcome) ? outcome : 'Other' });
  }

  /** Records how long one fetch job took; `outcome` such as `completed`, `failed`, `empty`. */
  observeFetchDuration(seconds: number, outcome: string): void {
    this.fetchDuration.observe({ outcome: PLAIN_LABEL.test(outcome) ? outcome : 'other' }, seconds);
  }

  /** `route` is the route template (`/v1/skills/:SkillNo`), never the requested URL. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** Prometheus text exposition, after reading the scrape-time sources. */
  async metrics(): Promise<string> {
    await Promise.all([this.collectDepths(), this.collectJobs(), this.collectOwed(), this.collectSuppression()]);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collectDepths(): Promise<void> {
    const read = this.sources.dialQueueDepths;
    if (!read) return;
    try {
      const depths = await read();
      this.depthGauge.reset();
      this.callableGauge.reset();
      for (const d of depths) {
        this.depthGauge.set({ skill_no: String(d.skillNo) }, d.depth);
        this.callableGauge.set({ skill_no: String(d.skillNo) }, d.callableNow);
      }
    } catch (err) {
      this.depthGauge.reset();
      this.callableGauge.reset();
      this.scrapeFailed('dial_queue', err);
    }
  }

  private async collectOwed(): Promise<void> {
    const read = this.sources.owedWriteBacks;
    if (!read) return;
    try {
      const owed = await read();
      this.owedGauge.set(owed.count);
      this.owedAgeGauge.set(owed.oldestSeconds);
    } catch (err) {
      this.owedGauge.reset();
      this.owedAgeGauge.reset();
      this.scrapeFailed('writebacks_owed', err);
    }
  }

  private async collectSuppression(): Promise<void> {
    const read = this.sources.suppressionListSizes;
    if (!read) return;
    try {
      const sizes = await read();
      this.suppressionGauge.reset();
      for (const l of sizes) this.suppressionGauge.set({ list: listLabel(l.name, l.listId) }, l.entries);
    } catch (err) {
      this.suppressionGauge.reset();
      this.scrapeFailed('suppression_lists', err);
    }
  }

  private async collectJobs(): Promise<void> {
    const queues = this.sources.queues ?? [];
    const counted = await Promise.all(
      queues.map((q) =>
        q.getJobCounts().then(
          (counts) => ({ name: q.name, counts }),
          (err: unknown) => {
            this.scrapeFailed('jobs', err);
            return null;
          },
        ),
      ),
    );
    this.jobsGauge.reset();
    for (const c of counted) {
      if (!c) continue;
      for (const [state, n] of Object.entries(c.counts)) {
        if (PLAIN_LABEL.test(state)) this.jobsGauge.set({ queue: c.name, state }, n);
      }
    }
  }

  private scrapeFailed(source: string, err: unknown): void {
    this.scrapeErrors.inc({ source });
    this.sources.onError?.(source, err);
  }
}

/** The process's metrics. */
export const serviceMetrics = new ServiceMetrics();

/** For create-prospects: adds a call's counts by ResultCode. */
export function observeResults(counts: Readonly<Record<string, number>>): void {
  serviceMetrics.observeResults(counts);
}

/** For the fetch worker: one job's duration in seconds and its outcome. */
export function observeFetchDuration(seconds: number, outcome: string): void {
  serviceMetrics.observeFetchDuration(seconds, outcome);
}

/** For the dialing-queue routes: numbers handed out by one claim. */
export function observeClaims(skillNo: number, count: number): void {
  serviceMetrics.observeClaims(skillNo, count);
}

/** For the dialing-queue routes: one recorded outcome. */
export function observeOutcome(outcome: string): void {
  serviceMetrics.observeOutcome(outcome);
}

/** For loads: numbers dropped because a suppression list holds them, by list. */
export function observeSuppressedAtLoad(byList: ReadonlyMap<string, number>): void {
  serviceMetrics.observeSuppressedAtLoad(byList);
}

/** For claims: suppressed numbers passed over for a contact's next number. */
export function observeSuppressedAtClaim(skillNo: number, count: number): void {
  serviceMetrics.observeSuppressedAtClaim(skillNo, count);
}
