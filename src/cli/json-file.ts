import fsp from 'node:fs/promises';
import { UsageError } from './exit-code';

/** A JSON document read from a file given on the command line; a missing or broken file is a usage error. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new UsageError('FileNotFound', `${file} does not exist or cannot be read`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError('InvalidData', `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
