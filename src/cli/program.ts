import { Command } from 'commander';
import { registerDemo } from './commands/demo';
import { registerImport } from './commands/import';
import { registerMigrate } from './commands/migrate';
import { registerRefill } from './commands/refill';
import { registerResults } from './commands/results';
import { registerRoles } from './commands/roles';
import { registerRuns } from './commands/runs';
import { registerSkills } from './commands/skills';
import { registerSourceMap } from './commands/source-map';
import { registerSuppression } from './commands/suppression';
import { registerUndo } from './commands/undo';
import { ExitCode } from './exit-code';

/** Where commander writes help and usage errors, and how it leaves; tests capture both. */
export interface ProgramIo {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
  exit?: (code: number) => never;
}

/** The `prospect-feeder` command tree. */
export function buildProgram(io: ProgramIo = {}): Command {
  const exit = io.exit ?? ((code: number) => process.exit(code));
  const program = new Command('prospect-feeder')
    .description(
      'Keeps outbound dialing queues fed with prospects from a CRM. Reads its configuration from the environment:\n' +
        'DATABASE_URL, REDIS_URL, PORT, HOST, DEFAULT_COUNTRY, MAX_DESTINATIONS, LOG_LEVEL, API_KEYS, QUEUE_PREFIX.',
    )
    // Set before the commands are added: sub-commands inherit them.
    .showHelpAfterError()
    .exitOverride((err) => exit(err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage));
  if (io.writeOut || io.writeErr) {
    program.configureOutput({
      ...(io.writeOut ? { writeOut: io.writeOut } : {}),
      ...(io.writeErr ? { writeErr: io.writeErr } : {}),
    });
  }

  registerMigrate(program);
  registerRoles(program);
  registerRefill(program);
  registerImport(program);
  registerSourceMap(program);
  registerSkills(program);
  registerRuns(program);
  registerResults(program);
  registerSuppression(program);
  registerUndo(program);
  registerDemo(program);
  return program;
}
