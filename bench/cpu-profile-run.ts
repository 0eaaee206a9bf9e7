/**
 * Child process of bench/cpu-profile.ts: `node --import tsx bench/cpu-profile-run.ts
 * pipeline|call <records> <out.cpuprofile>`. Warms up on a smaller batch (a running service is
 * warm), then profiles one run, the pipeline alone or a whole createProspects call in a fresh
 * schema, with V8's sampling profiler every 250 us, and prints {"ms"} as its last line.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createProspects } from '../src/services/create-prospects';
import { benchSchema, dropBenchSchemas } from './bench-schema';
import { benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords } from './prospect-records';
import { DATABASE_URL } from './section';
import { pipelineOutput } from './storage-baselines';

async function main(): Promise<void> {
  const [mode, sizeArg, out] = process.argv.slice(2);
  const size = Number(sizeArg);
  if ((mode !== 'pipeline' && mode !== 'call') || !size || !out) throw new Error('usage: pipeline|call <records> <out>');
  const records = benchRecords(size);
  let run: () => Promise<unknown>;
  if (mode === 'pipeline') {
    pipelineOutput(benchRecords(5_000, 2, 10_000_000));
    run = async () => pipelineOutput(records);
  } else {
    const warm = await benchSchema(DATABASE_URL, 'profwarm');
    await createProspects(await benchDeps(warm.pool), createProspectsInput(benchRecords(5_000, 2, 10_000_000)));
    await warm.drop();
    const deps = await benchDeps((await benchSchema(DATABASE_URL, 'prof')).pool);
    run = () => createProspects(deps, createProspectsInput(records));
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(out, JSON.stringify(profile));
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

main()
  .finally(() => dropBenchSchemas())
  .then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
