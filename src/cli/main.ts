import { reportError } from './cli-runtime';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => process.exit(reportError(err)));
