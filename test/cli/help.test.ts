import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program';
import { runCli } from './cli-process';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Parses `args` in-process, capturing what commander writes and the exit code it asks for. */
async function parse(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = buildProgram({
    writeOut: (s) => (out += s),
    writeErr: (s) => (err += s),
    exit: (code) => {
      throw new Exited(code);
    },
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: null, out, err };
  } catch (e) {
    if (e instanceof Exited) return { code: e.code, out, err };
    throw e;
  }
}

function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const paths = commandPaths(buildProgram());

describe('prospect-feeder --help', () => {
  it('has every command the contract and the compose file name', () => {
    const names = paths.map((p) => p.join(' '));
    for (const name of [
      'migrate',
      'start',
      'api',
      'worker',
      'brain',
      'refill',
      'import',
      'source-map set',
      'source-map get',
      'skills',
      'runs',
      'results',
      'demo',
      'demo-crm',
      'demo-dialer',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(paths.map((p) => [p.join(' '), p] as const))('%s --help prints its usage and exits 0', async (_name, path) => {
    const done = await parse([...path, '--help']);
    expect(done.code).toBe(0);
    expect(done.out).toContain(`Usage: prospect-feeder ${path.join(' ')}`);
    expect(done.out.length).toBeGreaterThan(80);
  });

  it.each([['refill'], ['demo']])('%s --help says what it needs on either queue backend', async (command) => {
    const done = await parse([command, '--help']);
    expect(done.out).toContain('with QUEUE_BACKEND=redis (the default), Redis (REDIS_URL)');
    expect(done.out).toContain('with QUEUE_BACKEND=postgres the job queues live in the same database and no Redis is used');
  });

  it.each([
    ['an unknown command', ['bogus']],
    ['an unknown option', ['runs', '--bogus']],
    ['a missing required option', ['import', 'x.csv', '--skill', '1']],
    ['a missing argument', ['results']],
    ['a SkillNo that is not a number', ['refill', '--skill', 'four']],
    ['a zero batch', ['import', 'x.csv', '--skill', '1', '--source', 'crm', '--batch', '0']],
    ['an unknown format', ['import', 'x.csv', '--skill', '1', '--source', 'crm', '--format', 'xml']],
    ['no command at all', []],
  ])('%s is a usage error: exit 2 with a message on stderr', async (_what, args) => {
    const done = await parse(args);
    expect(done.code).toBe(2);
    expect(done.err.length).toBeGreaterThan(0);
  });

  it('the real executable exits 0 for --help and 2 for a usage error', async () => {
    const [help, usage] = await Promise.all([runCli(['import', '--help'], {}), runCli(['refill'], {})]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: prospect-feeder import');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--skill <SkillNo>' not specified");
  }, 30_000);
});
