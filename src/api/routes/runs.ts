import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getRunResults, getRunView, listRunViews, parseResultCodeFilter } from '../../services/read-runs';
import { resultsCsv } from '../../services/results-csv';
import { readUndo, undoAnswerJson, undoRun } from '../../services/undo-run';
import { errorResponses, ResultsResponse, SummarySchema } from '../schemas';
import type { RouteOptions } from './route-plugin';

const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,15}$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be a positive integer').max(max, `must be at most ${max}`));

const RunIdParams = z.object({ RunId: positiveInt(Number.MAX_SAFE_INTEGER) });

const RunsQuery = z.object({
  SkillNo: positiveInt(2_147_483_647).optional(),
  Limit: positiveInt(500).optional(),
  /** Runs older than this RunId: the next page of a list. */
  Before: positiveInt(Number.MAX_SAFE_INTEGER).optional(),
});

const ResultsQuery = z.object({
  ResultCode: z.string().optional().meta({ description: 'Codes separated by commas; Failed and Successful stand for groups' }),
  format: z.enum(['json', 'csv']).optional(),
});

const RunSchema = z.object({
  RunId: z.number(),
  SkillNo: z.number(),
  SourceName: z.string(),
  SourceMapVersion: z.number().nullable(),
  Origin: z.string(),
  Status: z.string(),
  JobId: z.string().nullable(),
  RecordCount: z.number(),
  Counts: z.record(z.string(), z.number()),
  Error: z.string().nullable(),
  CursorBefore: z.string().nullable(),
  CursorAfter: z.string().nullable(),
  StartedAt: z.string(),
  FinishedAt: z.string().nullable(),
  Undo: z
    .object({ At: z.string(), By: z.string().nullable(), Counts: z.record(z.string(), z.number()) })
    .nullable()
    .meta({ description: 'Set once the run is undone: when, by which key role, and what the undo answered' }),
  Publication: z
    .object({
      PublishedAt: z.string().nullable(),
      WriteBack: z
        .object({
          Status: z.string(),
          Attempts: z.number(),
          HttpStatus: z.number().nullable(),
          Error: z.string().nullable(),
          At: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
});

/** Runs and their stored per-record results: JSON, or CSV (`format=csv` or `Accept: text/csv`). */
export const runRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  await app.register(undoRoute, { deps });
  app.get(
    '/v1/runs',
    {
      schema: {
        summary: 'List runs, newest first',
        tags: ['runs'],
        querystring: RunsQuery,
        response: { 200: z.object({ Runs: z.array(RunSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ Runs: await listRunViews(deps, request.query) }),
  );

  app.get(
    '/v1/runs/:RunId',
    {
      schema: { summary: 'Read one run', tags: ['runs'], params: RunIdParams, response: { 200: RunSchema, ...errorResponses } },
    },
    async (request) => getRunView(deps, request.params.RunId),
  );

  app.get(
    '/v1/runs/:RunId/results',
    {
      schema: {
        summary: "A run's per-record results",
        description: 'JSON in the CREATEPROSPECTS answer shape, or CSV with format=csv or Accept: text/csv.',
        tags: ['runs'],
        params: RunIdParams,
        querystring: ResultsQuery,
        response: { 200: ResultsResponse.extend({ RunId: z.number() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { RunId } = request.params;
      const codes = parseResultCodeFilter(request.query.ResultCode);
      const wantsCsv = request.query.format === 'csv' || (request.query.format === undefined && prefersCsv(request.headers.accept));
      if (!wantsCsv) return getRunResults(deps, RunId, codes);
      await getRunView(deps, RunId); // 404 before any CSV byte is sent
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="run-${RunId}-results.csv"`)
          // A stream goes out as is: fastify serializes (and checks against the schema) objects only.
          .send(Readable.from(resultsCsv(deps.pool, RunId, codes)) as never)
      );
    },
  );
};

/** What an undo answered: POST /v1/runs/{RunId}/undo, and GET of the same path later. */
const UndoAnswerResponse = ResultsResponse.extend({
  RunId: z.number(),
  Summary: SummarySchema,
  UndoneAt: z.string(),
  UndoneBy: z.string().nullable(),
});

/**
 * POST /v1/runs/{RunId}/undo (contract section 10): operator keys only (a POST, see
 * access/policy.ts); GET reads the undo's answer back (viewer keys too).
 */
const undoRoute: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/v1/runs/:RunId/undo',
    {
      schema: {
        summary: 'Undo a run',
        description:
          'Removes the prospects the run created and puts back the ones it updated as they were before it, in one ' +
          'transaction, answering each record Removed, Restored or ChangedSince (changed after the run: left as it is). ' +
          'The run then reads Status "Undone". 409: undone already, or a load of its skill and source is being stored; ' +
          '410: older than UNDO_RETENTION_DAYS.',
        tags: ['runs'],
        params: RunIdParams,
        response: {
          200: UndoAnswerResponse,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      // Refusals (404, 409, 410) are thrown before anything is sent; once the undo has committed,
      // its answer is streamed from what it kept, a page at a time, whatever the run's size.
      const outcome = await undoRun(deps, request.params.RunId, request.accessRole);
      return reply.type('application/json; charset=utf-8').send(Readable.from(undoAnswerJson(deps, outcome)) as never);
    },
  );

  app.get(
    '/v1/runs/:RunId/undo',
    {
      schema: {
        summary: "Read a run's undo: who, when, and what it answered",
        description:
          'The answer POST /v1/runs/{RunId}/undo gave, read back from what the undo kept (after a CLI undo, or a ' +
          'dropped connection). 404 RunNotUndone for a run that was not undone.',
        tags: ['runs'],
        params: RunIdParams,
        response: { 200: UndoAnswerResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const outcome = await readUndo(deps, request.params.RunId);
      return reply.type('application/json; charset=utf-8').send(Readable.from(undoAnswerJson(deps, outcome)) as never);
    },
  );
};

function prefersCsv(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}
