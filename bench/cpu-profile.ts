/**
 * Where node's CPU goes in the create-prospects pipeline and in a whole call: each is run in a
 * child process (bench/cpu-profile-run.ts) under V8's sampling profiler, the same one
 * `node --cpu-prof` uses, limited to the measured call and after a warm-up, and the .cpuprofile
 * is summed here three ways: self time by function, self time by file or package, and total time
 * (self + callees) of the pipeline's stages. The profiles are left in the temp directory
 * (printed) for Chrome DevTools (Performance tab, "Load profile").
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { benchSection, fmt, type BenchContext, type SummaryLine } from './section';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  selfByFunction: [string, number][];
  selfByFile: [string, number][];
  /** Time with the function anywhere on the stack (counted once per sample). */
  totalByFunction: Map<string, number>;
}

const ROOT = path.resolve(__dirname, '..');
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

function fileOf(url: string): string {
  if (url === '') return '(native / V8)';
  const p = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(p);
  if (pkg) return pkg[1] === 'libphonenumber-js' ? `libphonenumber-js/${pkg[2]!.split('/').slice(-1)[0]}` : pkg[1]!;
  if (p.startsWith('node:')) return p;
  return path.relative(ROOT, p);
}

function nameOf(node: ProfileNode): string {
  const f = node.callFrame;
  if (IDLE.has(f.functionName)) return f.functionName;
  return `${f.functionName || '(anonymous)'} ${fileOf(f.url)}`;
}

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id)!;
    const name = nameOf(node);
    if (node.callFrame.functionName === '(idle)') return;
    totalMs += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
    const file = IDLE.has(node.callFrame.functionName) ? node.callFrame.functionName : fileOf(node.callFrame.url);
    selfFile.set(file, (selfFile.get(file) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(nameOf(byId.get(at)!));
    for (const n of onStack) total.set(n, (total.get(n) ?? 0) + ms);
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs, selfByFunction: sorted(self), selfByFile: sorted(selfFile), totalByFunction: total };
}

/** The pipeline's stages, as functions of src/domain/pipeline.ts and what they call. */
const STAGES: [string, RegExp][] = [
  ['runPipeline (all)', /^runPipeline src\/domain\/pipeline\.ts/],
  ['  readExternalId', /^readExternalId src\/domain\/pipeline\.ts/],
  ['  readPhones (normalizePhones)', /^readPhones src\/domain\/pipeline\.ts/],
  ['    normalizePhone', /^normalizePhone src\/domain\/phone-number\.ts/],
  ['      parsePhoneNumberFromString', /^parsePhoneNumberFromString /],
  ['      isValid', /^isValid /],
  ['      getType', /^getType /],
  ['  readFields', /^readFields src\/domain\/pipeline\.ts/],
  ['  contactZone (resolveTimeZone)', /^contactZone src\/domain\/pipeline\.ts/],
  ['  contactExpiration', /^contactExpiration src\/domain\/pipeline\.ts/],
  ['  destinationZone', /^destinationZone src\/domain\/time-zone\.ts/],
];

function stageTotal(summary: ProfileSummary, re: RegExp): number {
  let ms = 0;
  for (const [name, t] of summary.totalByFunction) if (re.test(name)) ms += t;
  return ms;
}

async function profiled(mode: 'pipeline' | 'call', size: number, out: string): Promise<{ ms: number }> {
  const script = path.join(__dirname, 'cpu-profile-run.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, mode, String(size), out], {
    env: process.env,
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms: number };
}

function printTop(ctx: BenchContext, title: string, rows: [string, number][], totalMs: number, n: number): void {
  ctx.print(title);
  for (const [name, ms] of rows.slice(0, n)) {
    ctx.print(`  ${fmt.ms(ms).padStart(9)} ${`${((ms / totalMs) * 100).toFixed(1)}%`.padStart(6)}  ${name}`);
  }
}

export const cpuProfileBench = benchSection('cpu profile', async (ctx) => {
  const size = ctx.quick ? 5_000 : 50_000;
  const dir = path.join(tmpdir(), 'prospect-feeder-bench');
  mkdirSync(dir, { recursive: true });
  const lines: SummaryLine[] = [];

  const pipelineFile = path.join(dir, 'pipeline.cpuprofile');
  const p = await profiled('pipeline', size, pipelineFile);
  const ps = summarizeProfile(pipelineFile);
  ctx.print(
    `pipeline alone, ${fmt.int(size)} records, warmed up: ${fmt.ms(p.ms)} (${fmt.rate(size / (p.ms / 1000))}), ${fmt.ms(ps.totalMs)} sampled; ${pipelineFile}`,
  );
  ctx.print('stages (total time: self + callees; per record at the right):');
  for (const [label, re] of STAGES) {
    const ms = stageTotal(ps, re);
    ctx.print(
      `  ${label.padEnd(34)} ${fmt.ms(ms).padStart(9)} ${`${((ms / ps.totalMs) * 100).toFixed(1)}%`.padStart(6)}  ${((ms * 1000) / size).toFixed(1).padStart(6)} us`,
    );
  }
  printTop(ctx, 'self time by file or package:', ps.selfByFile, ps.totalMs, 10);
  printTop(ctx, 'self time by function:', ps.selfByFunction, ps.totalMs, 15);
  lines.push({
    metric: `pipeline, profiled`,
    value: `${fmt.rate(size / (p.ms / 1000))}; phones ${((stageTotal(ps, STAGES[2]![1]) / ps.totalMs) * 100).toFixed(0)}% of it`,
  });

  ctx.print();
  const callFile = path.join(dir, 'create-prospects.cpuprofile');
  const c = await profiled('call', size, callFile);
  const cs = summarizeProfile(callFile);
  ctx.print(
    `whole createProspects call (first pass), ${fmt.int(size)} records: ${fmt.ms(c.ms)} wall, node busy ${fmt.ms(cs.totalMs)} of it; ${callFile}`,
  );
  const runPipelineMs = stageTotal(cs, STAGES[0]![1]);
  ctx.print(`  runPipeline ${fmt.ms(runPipelineMs)}, everything else in node ${fmt.ms(cs.totalMs - runPipelineMs)}`);
  printTop(ctx, 'self time by file or package:', cs.selfByFile, cs.totalMs, 10);
  printTop(
    ctx,
    "self time by function, outside the pipeline's own files:",
    cs.selfByFunction.filter(([n]) => !/src\/domain\/|libphonenumber/.test(n)),
    cs.totalMs,
    12,
  );
  lines.push({ metric: 'node CPU in a call', value: `${fmt.ms(cs.totalMs)}, pipeline ${fmt.ms(runPipelineMs)}` });
  return lines;
});
