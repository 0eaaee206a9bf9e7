/**
 * `npm run build`, after tsc: bundles the dashboard's client into dist/dashboard/assets (hashed
 * names and a manifest), which the compiled server serves without esbuild.
 */
import path from 'node:path';
import { hashAssets, writeClientAssets } from '../src/dashboard/client-assets';
import { bundleClient } from '../src/dashboard/client-bundle';

async function main(): Promise<void> {
  const dir = path.join(__dirname, '..', 'dist', 'dashboard', 'assets');
  const assets = hashAssets(await bundleClient());
  await writeClientAssets(dir, assets);
  for (const a of [assets.script, assets.style])
    console.log(`${path.relative(process.cwd(), path.join(dir, a.name))}  ${a.body.length} bytes`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
