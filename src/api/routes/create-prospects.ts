import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { observeResults } from '../../observability/metrics';
import { createProspects } from '../../services/create-prospects';
import { previewCreateProspects } from '../../services/preview-create-prospects';
import { CreateProspectsBody, errorResponses, ResultsResponse, SummarySchema } from '../schemas';
import type { RouteOptions } from './route-plugin';

/** 50,000 records of a few fields each are 10-20 MB of JSON; this leaves room for wide records. */
export const BULK_BODY_LIMIT = 64 * 1024 * 1024;

export const createProspectsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/v1/create-prospects',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        summary: 'CREATEPROSPECTS v2: load source records as prospects of a skill',
        description:
          'Each input record is answered exactly once, in SuccessfulRecords (Created, Updated) or FailedRecords. ' +
          'The run id is in the X-Run-Id header. With DryRun true the call answers what it would answer, plus Summary ' +
          '(ResultCode -> count), and writes nothing: no run, no X-Run-Id.',
        tags: ['prospects'],
        body: CreateProspectsBody,
        response: { 200: ResultsResponse.extend({ Summary: SummarySchema.optional() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      // A dry run moves no metric of loaded records: nothing was loaded.
      if (request.body.DryRun === true) return previewCreateProspects(deps, request.body);
      const outcome = await createProspects(deps, request.body, 'Api');
      observeResults(outcome.counts);
      reply.header('X-Run-Id', String(outcome.runId));
      return { Results: outcome.Results };
    },
  );
};
