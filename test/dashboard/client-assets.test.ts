import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAssets, loadClientAssets, writeClientAssets } from '../../src/dashboard/client-assets';
import { bundleClient } from '../../src/dashboard/client-bundle';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pf-dashboard-assets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the dashboard client bundle', () => {
  it('holds the client modules, the pure domain rules it shares, and its stylesheet only: server types are imported as types', async () => {
    const bundle = await bundleClient();
    expect(bundle.inputs.length).toBeGreaterThan(5);
    // The domain core is pure (no I/O, no Node), so the browser may run the same rule.
    for (const input of bundle.inputs) expect(input).toMatch(/^src\/(dashboard\/client\/[\w-]+\.(ts|css)|domain\/[\w-]+\.ts)$/);
    expect(bundle.inputs).toContain('src/domain/result-code.ts');
    expect(bundle.inputs).toContain('src/dashboard/client/dashboard.css');
    expect(bundle.style).toContain('.card');
    // Minified: no line per statement.
    expect(bundle.script.split('\n').length).toBeLessThan(10);
  });
});

describe('loadClientAssets', () => {
  it('bundles the sources when no build is there, named by content hash', async () => {
    const assets = await loadClientAssets(path.join(dir, 'absent'));
    const fresh = hashAssets(await bundleClient());
    expect(assets.script.name).toBe(fresh.script.name);
    expect(assets.style.name).toMatch(/^dashboard-[0-9a-f]{16}\.css$/);
    // Once per process: the same answer again.
    expect(await loadClientAssets(path.join(dir, 'absent'))).toBe(assets);
  });

  it('serves what `npm run build` wrote, without bundling', async () => {
    const built = hashAssets({ script: '/* prebuilt */', style: '/* prebuilt css */' });
    const out = path.join(dir, 'built');
    await writeClientAssets(out, built);
    const assets = await loadClientAssets(out);
    expect(assets.script).toEqual(built.script);
    expect(assets.style).toEqual(built.style);
  });

  it('refuses a manifest whose files are missing rather than serve something else', async () => {
    const out = path.join(dir, 'broken');
    await writeClientAssets(out, hashAssets({ script: 'a', style: 'b' }));
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify({ script: 'dashboard-gone.js', style: 'dashboard-gone.css' }));
    await expect(loadClientAssets(out)).rejects.toThrow(/ENOENT/);
  });
});
