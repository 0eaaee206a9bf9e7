import type { Command } from 'commander';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { readConfig, roleLogger } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (safe to run concurrently and repeatedly)')
    .action(
      commandAction(async () => {
        const config = readConfig();
        const logger = roleLogger(config, 'migrate');
        const pool = createPool(config.databaseUrl, { max: 1 });
        try {
          const report = await migrate(pool);
          logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied.length }, 'migrations done');
          return ExitCode.Ok;
        } finally {
          await pool.end();
        }
      }),
    );
}
