import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentWav } from '../../../src/adapters/telephony/ari-simulator/wav.ts';
import { testDatabases } from '../../support/databases.ts';
import { finiteRoutes, recordingMounts, type RouteInfo } from './routes.ts';
import { bearer, createTenant, login, startFrontDoorEngine, type FrontDoorEngine } from './support.ts';

/**
 * Walks every route the app serves with tenant B's credentials against tenant A's ids. A route
 * with an id must answer 404 (or 401/403 where B may not use it at all), never A's data, and no
 * answer may contain any of A's ids. The routes come from the app itself: an endpoint added later
 * is walked too, and one whose ids the walk cannot fill makes this test fail until it is covered.
 */

const PASSWORD = 'correct horse battery staple';
const UNAUTHENTICATED = new Set(['/health', '/health/ready', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/media/:file', '/docs', '/api/v1/openapi.json']);

for (const backend of testDatabases()) {
  describe(`tenant isolation on ${backend.name}: every endpoint, B's credentials, A's ids`, () => {
    let running: FrontDoorEngine;
    let routes: RouteInfo[];
    const fixtures: Record<string, string> = {};
    let secretsOfA: string[] = [];
    let credentialsOfB: Array<[string, Record<string, string>]> = [];

    beforeAll(async () => {
      const database = await backend.open();
      const recorded = await recordingMounts(() => startFrontDoorEngine(database));
      running = recorded.result;
      routes = finiteRoutes(recorded.routes());
      const app = running.engine.app;

      const a = await createTenant(running, 'Tenant A', { email: 'a@a.example', password: PASSWORD });
      const b = await createTenant(running, 'Tenant B', { email: 'b@b.example', password: PASSWORD });
      const call = await request(app).post('/api/v1/calls').set(bearer(a.ownerKey)).send({ phone_number: '03001234567' });
      const key = await request(app).post('/api/v1/api-keys').set(bearer(a.ownerKey)).send({ name: 'a key' });
      const user = await request(app).post('/api/v1/users').set(bearer(a.ownerKey)).send({ email: 'dev@a.example', password: PASSWORD });
      const audio = await request(app).post('/api/v1/audio').set(bearer(a.ownerKey)).attach('file', silentWav(1), 'a.wav');
      const contact = await request(app).post('/api/v1/contacts').set(bearer(a.ownerKey)).send({ name: 'A contact', phone: '03001234567' });
      const list = await request(app).post('/api/v1/contact-lists').set(bearer(a.ownerKey)).send({ name: 'A list' });
      const dnc = await request(app).post('/api/v1/compliance/dnc').set(bearer(a.ownerKey)).send({ phone: '03111234567', reason: 'A only' });
      // An IP literal resolves nowhere; subscribed to an event the walk never causes, so nothing is sent to it.
      const webhook = await request(app).post('/api/v1/webhooks').set(bearer(a.ownerKey)).send({ url: 'https://93.184.215.14/a-hook', events: ['campaign.completed'] });
      for (const res of [call, key, user, audio, contact, list, dnc, webhook]) expect(res.status, JSON.stringify(res.body)).toBe(201);
      const added = await request(app).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(bearer(a.ownerKey)).send({ contact_ids: [contact.body.id] });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      // A draft, so the walk's transitions (B's, refused) could not dial anyone even if they got through.
      const campaign = await request(app)
        .post('/api/v1/campaigns')
        .set(bearer(a.ownerKey))
        .send({ name: 'A campaign', audio_id: audio.body.id, contact_list_id: list.body.id, start: false });
      expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
      Object.assign(fixtures, {
        campaigns: campaign.body.id,
        calls: call.body.id,
        'api-keys': key.body.id,
        users: user.body.id,
        accounts: a.accountId,
        audio: audio.body.id,
        contacts: contact.body.id,
        'contact-lists': list.body.id,
        // /compliance/dnc/:phone: a number on A's do-not-call list.
        compliance: dnc.body.phone,
        webhooks: webhook.body.id,
      });
      secretsOfA = [webhook.body.id, webhook.body.secret, 'a-hook', a.accountId, campaign.body.id, call.body.id, key.body.id, user.body.id, audio.body.id, contact.body.id, list.body.id, dnc.body.phone, a.ownerUserId, key.body.key, a.ownerKey];

      const bToken = (await login(running, 'b@b.example', PASSWORD)).body.access_token as string;
      credentialsOfB = [
        ['B owner key', bearer(b.ownerKey)],
        ['B owner key in X-API-Key', { 'X-API-Key': b.ownerKey }],
        ['B owner access token', bearer(bToken)],
      ];
    });
    afterAll(async () => {
      await running?.close();
    });

    /** Fills A's ids into a route; null when a parameter has no fixture. */
    function withIdsOfA(route: RouteInfo): string | null {
      const resource = route.path.replace(/^\/api\/v1\//, '').split('/')[0]!;
      let unfilled = false;
      const path = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
        if (name === 'name') return 'recording.wav';
        // A list's member is A's contact; every other id parameter is the resource's own.
        const id = name === 'accountId' ? fixtures.accounts : name === 'contactId' ? fixtures.contacts : fixtures[resource];
        if (id === undefined) unfilled = true;
        return id ?? 'unfilled';
      });
      return unfilled ? null : path;
    }

    it('finds the routes of every resource (calls, api-keys, users, accounts, audio, contacts, contact-lists, campaigns)', () => {
      const resources = new Set(routes.map((route) => route.path.split('/')[3]).filter(Boolean));
      for (const resource of ['calls', 'api-keys', 'users', 'accounts', 'audio', 'contacts', 'contact-lists', 'campaigns']) expect(resources).toContain(resource);
    });

    it("gives tenant A its own resources (so the walk's ids are real)", async () => {
      for (const route of routes.filter((r) => r.method === 'GET' && r.path.includes('/:id') && !r.path.includes(':name'))) {
        const path = withIdsOfA(route);
        if (path === null || route.path.startsWith('/api/v1/rate-plans')) continue;
        const key = (await request(running.engine.app).post('/api/v1/auth/login').send({ email: 'a@a.example', password: PASSWORD })).body.access_token;
        // Read models may lag the command a moment: poll with a deadline.
        const deadline = Date.now() + 10_000;
        let res = await request(running.engine.app).get(path).set(bearer(key));
        while (res.status === 404 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          res = await request(running.engine.app).get(path).set(bearer(key));
        }
        expect(res.status, `${route.method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
      }
    });

    it("never shows tenant B anything of tenant A's, on any endpoint", async () => {
      const walked: string[] = [];
      const uncovered: string[] = [];
      for (const route of routes) {
        if (UNAUTHENTICATED.has(route.path)) continue;
        const path = withIdsOfA(route);
        for (const [who, headers] of credentialsOfB) {
          if (path === null) {
            // No fixture: fine only if B cannot use the route at all (operator-only routes).
            const probe = await send(route.method, route.path.replace(/:[A-Za-z]+/g, crypto.randomUUID()), headers);
            if (probe.status !== 401 && probe.status !== 403) uncovered.push(`${route.method} ${route.path}`);
            continue;
          }
          const res = await send(route.method, path, headers);
          const hasId = route.path.includes('/:');
          const text = JSON.stringify(res.body);
          // An error may echo the id B sent; anything else of A's is a leak.
          for (const secret of secretsOfA.filter((s) => !path.includes(s))) expect(text, `${who}: ${route.method} ${path} leaked ${secret}`).not.toContain(secret);
          if (hasId && ![401, 403, 404].includes(res.status)) {
            // Anything else must not depend on the id existing: a made-up id gets the same answer.
            const made = await send(route.method, route.path.replace(/:[A-Za-z]+/g, crypto.randomUUID()), headers);
            expect([res.status, res.body?.error?.code], `${who}: ${route.method} ${path} answered ${res.status} ${text}`).toEqual([made.status, made.body?.error?.code]);
            expect(res.status, `${who}: ${route.method} ${path} succeeded on A's id`).toBeGreaterThanOrEqual(400);
          }
          walked.push(`${route.method} ${route.path}`);
        }
      }
      expect(uncovered, 'routes the isolation walk cannot fill with tenant A ids: add a fixture').toEqual([]);
      expect(walked.length).toBeGreaterThan(15);
    });

    function send(method: string, path: string, headers: Record<string, string>) {
      const agent = request(running.engine.app);
      const req =
        method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : method === 'PUT' ? agent.put(path) : method === 'PATCH' ? agent.patch(path) : agent.delete(path);
      req.set(headers);
      return method === 'GET' || method === 'DELETE' ? req : req.send(path.startsWith('/api/v1/users') ? { role: 'developer' } : { name: 'b' });
    }
  });
}
