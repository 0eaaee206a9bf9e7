import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleClient } from './client-bundle';

/** One file of the dashboard's client, served under a name that changes with its content. */
export interface ClientAsset {
  /** `dashboard-<hash>.js`: a new build is a new URL, so the file may be cached for good. */
  name: string;
  body: string;
  contentType: string;
  /** Subresource Integrity of `body`, for the page's `integrity` attribute. */
  integrity: string;
}

export interface ClientAssets {
  script: ClientAsset;
  style: ClientAsset;
}

interface Manifest {
  script: string;
  style: string;
}

/** Where `npm run build` leaves the assets: dist/dashboard/assets beside the compiled server. */
export const BUILT_ASSETS_DIR = path.join(__dirname, 'assets');
const MANIFEST = 'manifest.json';
const CONTENT_TYPES = { script: 'text/javascript; charset=utf-8', style: 'text/css; charset=utf-8' } as const;

const loaded = new Map<string, Promise<ClientAssets>>();

/**
 * The dashboard's script and stylesheet: the prebuilt files when `npm run build` made them (the
 * compiled service), else bundled now from the TypeScript sources (a checkout run through tsx, the
 * tests). Once per process and directory.
 */
export function loadClientAssets(dir: string = BUILT_ASSETS_DIR): Promise<ClientAssets> {
  let assets = loaded.get(dir);
  if (!assets) {
    assets = readBuilt(dir).then(async (built) => built ?? hashAssets(await bundleClient()));
    assets.catch(() => loaded.delete(dir));
    loaded.set(dir, assets);
  }
  return assets;
}

async function readBuilt(dir: string): Promise<ClientAssets | null> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const read = async (kind: keyof Manifest) => asset(kind, await readFile(path.join(dir, manifest[kind]), 'utf8'));
  return { script: await read('script'), style: await read('style') };
}

export function hashAssets(bundle: { script: string; style: string }): ClientAssets {
  return { script: asset('script', bundle.script), style: asset('style', bundle.style) };
}

function asset(kind: keyof Manifest, body: string): ClientAsset {
  const digest = (algorithm: string, encoding: 'hex' | 'base64') => createHash(algorithm).update(body, 'utf8').digest(encoding);
  return {
    name: `dashboard-${digest('sha256', 'hex').slice(0, 16)}.${kind === 'script' ? 'js' : 'css'}`,
    body,
    contentType: CONTENT_TYPES[kind],
    integrity: `sha384-${digest('sha384', 'base64')}`,
  };
}

/** Replaces `dir` with the assets and their manifest (`npm run build`). */
export async function writeClientAssets(dir: string, assets: ClientAssets): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const a of [assets.script, assets.style]) await writeFile(path.join(dir, a.name), a.body);
  const manifest: Manifest = { script: assets.script.name, style: assets.style.name };
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}
