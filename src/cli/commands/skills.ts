import type { Command } from 'commander';
import { readQueueSnapshot } from '../../services/read-queue-snapshot';
import { getSkill, putSkill } from '../../services/skills';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { readJsonFile } from '../json-file';
import { skillNo } from '../option-parsers';
import { textTable } from '../text-table';

export function registerSkills(program: Command): void {
  program
    .command('skills')
    .description('list the skills with their dialing queue against its thresholds')
    .option('--json', 'print JSON instead of a table')
    .action(
      commandAction(async (opts: { json?: boolean }) =>
        withDeps(async (deps) => {
          const skills = await readQueueSnapshot(deps.pool, deps.now());
          if (opts.json) {
            const rows = skills.map((s) => ({
              SkillNo: s.skillNo,
              Name: s.name,
              RefillEnabled: s.refillEnabled,
              Depth: s.depth,
              CallableNow: s.callableNow,
              LowWaterMark: s.lowWaterMark,
              TargetDepth: s.targetDepth,
            }));
            process.stdout.write(`${JSON.stringify({ Skills: rows })}\n`);
          } else if (skills.length === 0) {
            process.stdout.write('no skills yet: create one with `prospect-feeder skill set N FILE` or PUT /v1/skills/{SkillNo}\n');
          } else {
            process.stdout.write(
              textTable(skills, [
                { header: 'SkillNo', value: (s) => s.skillNo },
                { header: 'Name', value: (s) => s.name },
                { header: 'Refill', value: (s) => (s.lowWaterMark === null ? 'none' : s.refillEnabled ? 'enabled' : 'disabled') },
                { header: 'Depth', value: (s) => s.depth },
                { header: 'CallableNow', value: (s) => s.callableNow },
                { header: 'LowWaterMark', value: (s) => s.lowWaterMark, align: 'right' },
                { header: 'TargetDepth', value: (s) => s.targetDepth, align: 'right' },
              ]),
            );
          }
          return ExitCode.Ok;
        }),
      ),
    );

  const skill = program.command('skill').description('read or store one skill');
  skill
    .command('set')
    .description('create or replace skill N from a JSON file (the same body as PUT /v1/skills/{SkillNo})')
    .argument('<SkillNo>', 'the skill number', skillNo)
    .argument('<file>', 'a JSON file holding the skill body ({ "Name": ..., "Refill": { ... } })')
    .option('--json', 'print the stored skill as JSON')
    .action(
      commandAction(async (n: number, file: string, opts: { json?: boolean }) => {
        const body = await readJsonFile(file);
        return withDeps(async (deps) => {
          const stored = await putSkill(deps, n, body);
          if (opts.json) process.stdout.write(`${JSON.stringify(stored)}\n`);
          else process.stdout.write(`SkillNo: ${stored.SkillNo}\nName: ${stored.Name}\nResult: ${stored.Result}\n`);
          return ExitCode.Ok;
        });
      }),
    );
  skill
    .command('get')
    .description('print skill N as JSON')
    .argument('<SkillNo>', 'the skill number', skillNo)
    .action(
      commandAction(async (n: number) =>
        withDeps(async (deps) => {
          process.stdout.write(`${JSON.stringify(await getSkill(deps, n), null, 2)}\n`);
          return ExitCode.Ok;
        }),
      ),
    );
}
