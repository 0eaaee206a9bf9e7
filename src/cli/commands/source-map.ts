import type { Command } from 'commander';
import { isPlainObject } from '../../domain/plain-object';
import { getSourceMap, setSourceMap } from '../../services/set-source-map';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { readJsonFile } from '../json-file';

export function registerSourceMap(program: Command): void {
  const sourceMap = program.command('source-map').description('read or store a source map (CREATESOURCEMAP)');

  sourceMap
    .command('set')
    .description('store FILE as the next version of the source map NAME (the same as PUT /v1/source-maps/{SourceName})')
    .argument('<name>', 'the SourceName')
    .argument('<file>', 'a JSON file holding the Mapping object, or { "Mapping": { ... } }')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      '\nPrints SourceName, Version and Result (Created, Updated or NoChangesMade).\nExit 2 when the map is refused (InvalidFieldName, MissingRequiredField, ...).',
    )
    .action(
      commandAction(async (name: string, file: string, opts: { json?: boolean }) => {
        const document = await readJsonFile(file);
        // The API's body { "Mapping": {...} } or the Mapping itself ("Mapping" is no system field).
        const mapping = isPlainObject(document) && 'Mapping' in document ? document.Mapping : document;
        return withDeps(async (deps) => {
          const answer = await setSourceMap(deps, name, mapping);
          if (opts.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
          else process.stdout.write(`SourceName: ${answer.SourceName}\nVersion: ${answer.Version}\nResult: ${answer.Result}\n`);
          return ExitCode.Ok;
        });
      }),
    );

  sourceMap
    .command('get')
    .description('print the current version of the source map NAME')
    .argument('<name>', 'the SourceName')
    .option('--json', 'print the whole answer as JSON ({ SourceName, Version, Mapping })')
    .action(
      commandAction(async (name: string, opts: { json?: boolean }) =>
        withDeps(async (deps) => {
          const view = await getSourceMap(deps, name);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(view)}\n`);
          } else {
            process.stdout.write(
              `SourceName: ${view.SourceName}\nVersion: ${view.Version}\nMapping:\n${JSON.stringify(view.Mapping, null, 2)}\n`,
            );
          }
          return ExitCode.Ok;
        }),
      ),
    );
}
