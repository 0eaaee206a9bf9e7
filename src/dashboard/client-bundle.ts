import { existsSync } from 'node:fs';
import path from 'node:path';

/** The client's entry, in the sources (a compiled dist has no TypeScript to bundle). */
export const CLIENT_ENTRY = path.join(__dirname, 'client', 'main.ts');

export interface ClientBundle {
  script: string;
  style: string;
  /** The files that went in, relative to the working directory (the client's own, never the server's). */
  inputs: string[];
}

/**
 * Bundles the dashboard's browser code and its stylesheet with esbuild: one minified script (an
 * IIFE, ES2020) and one stylesheet. Used by `npm run build` and, when no build is there, by the
 * server at startup (client-assets.ts), so both serve the same bytes for the same sources.
 */
export async function bundleClient(entry: string = CLIENT_ENTRY): Promise<ClientBundle> {
  if (!existsSync(entry)) throw new Error(`the dashboard client is not built and its sources (${entry}) are absent: run npm run build`);
  // esbuild is a devDependency: loaded only when a bundle is made, never by a built service.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    tsconfig: path.join(path.dirname(entry), 'tsconfig.json'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    outdir: 'dashboard-client',
    entryNames: 'dashboard',
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (ext: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!file) throw new Error(`esbuild produced no ${ext} for the dashboard client`);
    return file.text;
  };
  return { script: text('.js'), style: text('.css'), inputs: Object.keys(result.metafile.inputs) };
}
