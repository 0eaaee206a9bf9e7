import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { recordRevocations, RevocationsBodySchema } from '../../services/consent-revocations';
import { CheckQuerySchema, checkSuppression } from '../../services/suppression-check';
import { addEntries, EntriesBodySchema, HistoryQuerySchema, readHistory, removeEntries } from '../../services/suppression-entries';
import { deleteList, getList, listLists, PutListBodySchema, putList } from '../../services/suppression-lists';
import {
  DeleteSuppressionListResponse,
  errorResponses,
  ListNameParams,
  PutSuppressionListResponse,
  ResultsResponse,
  SuppressionCheckResponse,
  SuppressionHistoryResponse,
  SuppressionListSchema,
  SuppressionListsResponse,
} from '../schemas';
import { BULK_BODY_LIMIT } from './create-prospects';
import type { RouteOptions } from './route-plugin';

/** The acting key's role for a batch: null when the service is open (no key to name). */
function roleOf(request: FastifyRequest): string | null {
  return request.accessRole === 'open' ? null : request.accessRole;
}

const tags = ['suppression'];

/** Contract section 8: suppression lists, their entries, the check and consent revocations. */
export const suppressionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.put(
    '/v1/suppression-lists/:ListName',
    {
      schema: {
        summary: 'Create or update a suppression (do-not-call) list',
        description: 'AllSkills: true applies the list to every skill; otherwise a skill names it in Compliance.SuppressionLists.',
        tags,
        params: ListNameParams,
        body: PutListBodySchema,
        response: { 200: PutSuppressionListResponse, ...errorResponses },
      },
    },
    async (request) => putList(deps, request.params.ListName, request.body),
  );

  app.get(
    '/v1/suppression-lists/:ListName',
    {
      schema: {
        summary: 'Read one suppression list',
        tags,
        params: ListNameParams,
        response: { 200: SuppressionListSchema, ...errorResponses },
      },
    },
    async (request) => getList(deps, request.params.ListName),
  );

  app.delete(
    '/v1/suppression-lists/:ListName',
    {
      schema: {
        summary: 'Delete a suppression list (its entries and their history are kept)',
        description:
          'The list stops applying and its name is free again; its entries and every add and removal stay on record ' +
          '(47 CFR § 64.1200(d)(6)). A load applying the list finishes first. 409 ListInUse while a skill names it in ' +
          'Compliance; 409 ListReadOnly for the built-in Revocations.',
        tags,
        params: ListNameParams,
        response: { 200: DeleteSuppressionListResponse, ...errorResponses },
      },
    },
    async (request) => deleteList(deps, request.params.ListName),
  );

  app.get(
    '/v1/suppression-lists',
    {
      schema: {
        summary: 'List the suppression lists with their entry counts, and the rules they stand for',
        tags,
        response: { 200: SuppressionListsResponse, ...errorResponses },
      },
    },
    async () => listLists(deps),
  );

  app.post(
    '/v1/suppression-lists/:ListName/entries',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        summary: 'Add numbers and prefixes to a list',
        description:
          'Each entry is answered once: Added, Updated (an entry already there, its earlier add kept in the history), ' +
          'InvalidPhoneNumber or InvalidFieldValue. A Prefix is the start of an E.164 number (+1212).',
        tags,
        params: ListNameParams,
        body: EntriesBodySchema,
        response: { 200: ResultsResponse, ...errorResponses },
      },
    },
    async (request) => ({
      Results: (await addEntries(deps, request.params.ListName, request.body, { role: roleOf(request), source: 'Api' })).Results,
    }),
  );

  app.post(
    '/v1/suppression-lists/:ListName/remove-entries',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        summary: 'Remove numbers and prefixes from a list',
        description: 'Each entry is answered Removed or NotFound (or a failure); the history keeps the add and the removal.',
        tags,
        params: ListNameParams,
        body: EntriesBodySchema,
        response: { 200: ResultsResponse, ...errorResponses },
      },
    },
    async (request) => ({
      Results: (await removeEntries(deps, request.params.ListName, request.body, { role: roleOf(request), source: 'Api' })).Results,
    }),
  );

  app.get(
    '/v1/suppression-lists/:ListName/history',
    {
      schema: {
        summary: 'Every add and removal of a number (or prefix) on a list, oldest first',
        tags,
        params: ListNameParams,
        querystring: HistoryQuerySchema,
        response: { 200: SuppressionHistoryResponse, ...errorResponses },
      },
    },
    async (request) => readHistory(deps, request.params.ListName, request.query),
  );

  app.get(
    '/v1/suppression',
    {
      schema: {
        summary: 'Is this number suppressed (for this skill), by what, since when',
        description: 'With SkillNo, only the lists that skill applies. A dialer key may ask this too.',
        tags,
        querystring: CheckQuerySchema,
        response: { 200: SuppressionCheckResponse, ...errorResponses },
      },
    },
    async (request) => checkSuppression(deps, request.query),
  );

  app.post(
    '/v1/consent/revocations',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        summary: 'Record revocations of consent: each number is suppressed for every skill at once (list Revocations)',
        tags,
        body: RevocationsBodySchema,
        response: { 200: ResultsResponse, ...errorResponses },
      },
    },
    async (request) => ({ Results: (await recordRevocations(deps, request.body, roleOf(request))).Results }),
  );
};
