/**
 * The sections `npm run bench` runs, in order. To add one: write bench/<thing>.ts exporting
 * `benchSection('<thing>', async (ctx) => [...summary lines])` and list it here.
 */
import { brainTickBench } from './brain-tick';
import { claimRateBench } from './claim-rate';
import { cpuProfileBench } from './cpu-profile';
import { doNotCallBench } from './do-not-call';
import { createProspectsBench } from './create-prospects';
import { importFileBench } from './import-file';
import { previewUndoBench } from './preview-undo';
import { refillLatencyBench } from './refill-latency';
import { scaleBench } from './scale';
import type { BenchSection } from './section';
import { suppressionImportBench } from './suppression';

export const SECTIONS: BenchSection[] = [
  createProspectsBench,
  previewUndoBench,
  cpuProfileBench,
  refillLatencyBench,
  brainTickBench,
  claimRateBench,
  importFileBench,
  scaleBench,
  doNotCallBench,
  suppressionImportBench,
];
