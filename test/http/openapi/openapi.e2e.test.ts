import { validate } from '@readme/openapi-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { openApiPath } from '../../../src/http/openapi/document.ts';
import { recordingMounts, type RouteInfo } from '../../e2e/front-door/routes.ts';
import { startFrontDoorEngine, type FrontDoorEngine } from '../../e2e/front-door/support.ts';

/**
 * The OpenAPI document against the app itself: every route in the Express route table is in the
 * document with its method, nothing in the document is missing from the app, and the document is
 * valid OpenAPI 3.1. A route added without describing it fails here.
 */

describe('GET /api/v1/openapi.json', () => {
  let running: FrontDoorEngine;
  let routes: RouteInfo[];
  let document: any;

  beforeAll(async () => {
    const recorded = await recordingMounts(async () => startFrontDoorEngine(await openDatabase({})));
    running = recorded.result;
    routes = recorded.routes();
    const res = await request(running.engine.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    document = res.body;
  }, 60_000);
  afterAll(async () => running?.close());

  it('lists every route of the app, with its method, and no route the app lacks', () => {
    expect(routes.length).toBeGreaterThan(50);
    const inApp = new Set(routes.map((route) => `${route.method} ${openApiPath(route.path).path}`));
    const inDocument = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)),
    );
    expect([...inApp].filter((route) => !inDocument.has(route)), 'routes the document lacks').toEqual([]);
    expect([...inDocument].filter((route) => !inApp.has(route)), 'documented routes the app lacks').toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it('describes request bodies with the schemas the routes validate with, auth and the one error body', () => {
    const place = document.paths['/api/v1/calls'].post;
    const body = place.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['phone_number', 'to_number', 'to', 'opt_out_digit', 'max_duration_seconds']));
    expect(body.properties.max_duration_seconds).toMatchObject({ minimum: 1, maximum: 14_400 });
    expect(place.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    expect(document.paths['/api/v1/accounts'].post.security).toEqual([{ operatorKey: [] }]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(document.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' }, operatorKey: { type: 'http' } });
    expect(document.components.schemas.Error).toMatchObject({
      properties: { error: { properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } }, required: ['code', 'message', 'details'] } },
    });
    const errorRef = { $ref: '#/components/schemas/Error' };
    expect(place.responses['401'].content['application/json'].schema).toEqual(errorRef);
    expect(place.responses['422'].content['application/json'].schema).toEqual(errorRef);
    expect(document.paths['/api/v1/calls/{id}'].get.responses['404'].content['application/json'].schema).toEqual(errorRef);
    const listQuery = document.paths['/api/v1/calls'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(listQuery).toEqual(expect.arrayContaining(['query:page', 'query:per_page', 'query:status']));
  });

  it('serves /docs from the local Swagger UI package, with no inline script and a CSP', async () => {
    const app = running.engine.app;
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline!.trim(), 'inline script').toBe('');
      expect(attributes).toMatch(/src="\/docs\/assets\//);
    }
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'init.js']) {
      const res = await request(app).get(`/docs/assets/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    expect((await request(app).get('/docs/assets/init.js')).text).toContain('/api/v1/openapi.json');
    // The package's own demo page (which points at a public URL) is not served.
    const demo = await request(app).get('/docs/assets/index.html');
    expect(demo.status).toBe(404);
    expect(demo.body.error.code).toBe('NOT_FOUND');
  });
});
