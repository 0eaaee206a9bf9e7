import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerDocs } from '../../src/api/docs';
import { healthRoutes } from '../../src/api/routes/health';

describe('registerDocs', () => {
  it('serves the OpenAPI description built from the zod route schemas at /docs/json and the UI at /docs', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerDocs(app);
    app.register(async (routes) => {
      routes.withTypeProvider<ZodTypeProvider>().put(
        '/v1/skills/:SkillNo',
        {
          schema: {
            tags: ['skills'],
            params: z.object({ SkillNo: z.coerce.number().int().positive() }),
            body: z.object({ Name: z.string().min(1), MaxAttempts: z.number().int().optional() }),
            response: { 200: z.object({ SkillNo: z.number(), Result: z.enum(['Created', 'Updated']) }) },
          },
        },
        async (request) => ({ SkillNo: request.params.SkillNo, Result: 'Created' as const }),
      );
      routes.get('/hidden', { schema: { hide: true } }, async () => 'x');
    });
    app.register(healthRoutes, { pool: { query: async () => 1 }, probes: { redis: async () => 'PONG' } });
    await app.ready();

    const json = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    const spec = json.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    const put = spec.paths['/v1/skills/{SkillNo}'].put;
    expect(put.parameters[0]).toMatchObject({ in: 'path', name: 'SkillNo', required: true });
    const body = put.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['Name']);
    expect(body.properties.Name).toMatchObject({ type: 'string', minLength: 1 });
    expect(put.responses['200'].content['application/json'].schema.properties.Result.enum).toEqual(['Created', 'Updated']);
    expect(spec.paths['/readyz'].get).toBeDefined();
    expect(spec.paths['/hidden']).toBeUndefined();

    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
    const page = ui.statusCode === 302 ? await app.inject({ method: 'GET', url: ui.headers.location as string }) : ui;
    expect(page.body).toMatch(/swagger-ui/i);
    await app.close();
  });
});
