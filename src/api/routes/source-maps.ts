import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CallError } from '../../services/errors';
import { getSourceMap, setSourceMap } from '../../services/set-source-map';
import { errorResponses, SetSourceMapResponse, SourceMapBody, SourceMapResponse, SourceNameParams } from '../schemas';
import type { RouteOptions } from './route-plugin';

export const sourceMapRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.put(
    '/v1/source-maps/:SourceName',
    {
      schema: {
        summary: 'CREATESOURCEMAP: store a new version of a source map',
        tags: ['source-maps'],
        params: SourceNameParams,
        body: SourceMapBody,
        response: { 200: SetSourceMapResponse, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body) || !('Mapping' in body)) {
        throw new CallError('InvalidRootNode', 'the body must be { "Mapping": { SystemField: SourcePath, ... } }');
      }
      return setSourceMap(deps, request.params.SourceName, body.Mapping);
    },
  );

  app.get(
    '/v1/source-maps/:SourceName',
    {
      schema: {
        summary: 'Read the current version of a source map',
        tags: ['source-maps'],
        params: SourceNameParams,
        response: { 200: SourceMapResponse, ...errorResponses },
      },
    },
    async (request) => getSourceMap(deps, request.params.SourceName),
  );
};
