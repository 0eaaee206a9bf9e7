/**
 * What a bench section is, and what it is handed. A section measures one thing, prints its own
 * block as it goes (numbers with their ratios to a baseline measured in the same run, since the
 * machine is shared and absolute numbers drift), and returns the lines for the summary table.
 * Add one by listing it in bench/sections.ts.
 */
import os from 'node:os';
import { benchSchema, type BenchSchema } from './bench-schema';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchContext {
  databaseUrl: string;
  redisUrl: string;
  /** BENCH_QUICK=1: smaller sizes and fewer repeats, for a fast check that everything runs. */
  quick: boolean;
  /** A new schema with every migration applied; dropped when the bench ends, whatever happens. */
  freshSchema(tag: string, poolMax?: number): Promise<BenchSchema>;
  /** One line of the section's block. */
  print(line?: string): void;
}

/** One row of the summary table. */
export interface SummaryLine {
  metric: string;
  value: string;
  /** The goal as written in the issue, e.g. ">= 0.5x COPY"; empty when there is none. */
  goal?: string;
  /** Whether the goal is met; undefined when there is no goal. */
  met?: boolean;
}

export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<SummaryLine[]>;
}

/** Declares a section: `export const myBench = benchSection('my thing', async (ctx) => [...])`. */
export function benchSection(name: string, run: (ctx: BenchContext) => Promise<SummaryLine[]>): BenchSection {
  return { name, run };
}

export function benchContext(quick: boolean, print: (line?: string) => void): BenchContext {
  return {
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    quick,
    freshSchema: (tag, poolMax) => benchSchema(DATABASE_URL, tag, poolMax),
    print,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `runs` timed repetitions of `once` (each sets itself up untimed and reports its own ms). */
export async function repeat(runs: number, once: (i: number) => Promise<number>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await once(i));
  return ms;
}

export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  ms: (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`,
  rate: (n: number): string => `${Math.round(n).toLocaleString('en-US')} rec/s`,
  ratio: (n: number): string => `${n.toFixed(n >= 10 ? 1 : 2)}x`,
  mb: (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`,
  list: (ms: readonly number[]): string => ms.map((m) => Math.round(m)).join(' / '),
};

/** The machine's load averages (1, 5, 15 min): the bench shares its cores, so tails follow this. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}
