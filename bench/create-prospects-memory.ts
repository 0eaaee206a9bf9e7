/**
 * Run as a child process by the create-prospects section (`node --expose-gc --import tsx
 * bench/create-prospects-memory.ts <records>`), so its peak RSS is one call's and nothing else's.
 * Prints one JSON line: RSS before the call (records already built), peak RSS (the kernel's
 * maxrss), and the peak heap used as sampled every few ms
 * of event-loop time.
 */
import { benchSchema, dropBenchSchemas } from './bench-schema';
import { benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords } from './prospect-records';
import { DATABASE_URL } from './section';
import { createProspects } from '../src/services/create-prospects';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 50_000);
  try {
    const schema = await benchSchema(DATABASE_URL, 'mem');
    const deps = await benchDeps(schema.pool);
    const input = createProspectsInput(benchRecords(size));
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    const sample = () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    const timer = setInterval(sample, 2);
    const started = performance.now();
    const outcome = await createProspects(deps, input);
    const ms = performance.now() - started;
    sample();
    clearInterval(timer);
    const created = outcome.counts.Created ?? 0;
    process.stdout.write(
      `${JSON.stringify({
        size,
        ms,
        created,
        rssBefore: before.rss,
        heapBefore: before.heapUsed,
        peakRss: process.resourceUsage().maxRSS * 1024,
        peakHeap,
      })}\n`,
    );
  } finally {
    await dropBenchSchemas();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
