import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryOf, dncStream, walletStream } from '../../src/domain/shared/streams.ts';
import { testDatabases } from '../support/databases.ts';
import { bearer, createTenant, startFrontDoorEngine, type FrontDoorEngine } from './front-door/support.ts';

/**
 * Do-not-call lists over HTTP on the whole engine (simulator telephony), on every database
 * backend: POST /calls answers 451 for a number on the tenant's or the operator's list without
 * writing a call or holding money, numbers are normalised before they are compared, removal
 * lifts the block, and one tenant's list never shows in or blocks another's.
 */

const PASSWORD = 'correct horse battery staple';

for (const backend of testDatabases()) {
  describe(`do-not-call lists on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    let keyA: string;
    let keyB: string;
    let tenantA: string;
    const app = () => running.engine.app;
    const asA = () => bearer(keyA);
    const asB = () => bearer(keyB);
    const asOperator = () => bearer(running.operatorKey);
    const call = (auth: Record<string, string>, phone: string) => request(app()).post('/api/v1/calls').set(auth).send({ phone_number: phone });
    const check = (auth: Record<string, string>, phone: string) => request(app()).get(`/api/v1/compliance/dnc?phone=${encodeURIComponent(phone)}`).set(auth);
    const callEvents = async () => (await running.engine.store.readAll()).filter((event) => categoryOf(event.streamName) === 'call').length;
    const upload = (path: string, auth: Record<string, string>, csv: string, fields: Record<string, string> = {}) => {
      const req = request(app()).post(path).set(auth);
      for (const [name, value] of Object.entries(fields)) req.field(name, value);
      return req.attach('file', Buffer.from(csv, 'utf8'), 'dnc.csv');
    };

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open(), { DNC_OPERATOR_DEFAULT_COUNTRY: 'PK' });
      const a = await createTenant(running, 'DNC A', { email: 'a@dnc.example', password: PASSWORD });
      const b = await createTenant(running, 'DNC B', { email: 'b@dnc.example', password: PASSWORD });
      [keyA, keyB, tenantA] = [a.ownerKey, b.ownerKey, a.accountId];
    });
    afterAll(async () => {
      await running?.close();
    });

    it('adds a number in national form, finds it in either form, and refuses a call to it with 451 and nothing written', async () => {
      const added = await request(app()).post('/api/v1/compliance/dnc').set(asA()).send({ phone: '0300 1234567', reason: 'asked not to be called' });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body).toMatchObject({ phone: '+923001234567', scope: 'tenant', reason: 'asked not to be called', source: 'api', call_id: null });

      for (const form of ['03001234567', '+923001234567', '+92 300 123 4567']) {
        const found = await check(asA(), form);
        expect(found.status).toBe(200);
        expect(found.body).toEqual({ phone: '+923001234567', listed: true, scope: 'tenant', reason: 'asked not to be called', source: 'api', call_id: null, added_at: added.body.added_at });
      }

      const again = await request(app()).post('/api/v1/compliance/dnc').set(asA()).send({ phone_number: '+923001234567', reason: 'other' });
      expect(again.status).toBe(201);
      expect(again.body.reason).toBe('asked not to be called');
      expect(await running.engine.store.readStream(dncStream(tenantA))).toHaveLength(1);

      const callsBefore = await callEvents();
      const walletBefore = (await running.engine.store.readStream(walletStream(tenantA))).length;
      const refused = await call(asA(), '03001234567');
      expect(refused.status, JSON.stringify(refused.body)).toBe(451);
      expect(refused.body).toEqual({ error: { code: 'DNC_LISTED', message: expect.any(String), details: { scope: 'tenant', phone: '+923001234567' } } });
      expect(await callEvents()).toBe(callsBefore);
      // Refused before the balance hold: the wallet saw nothing either.
      expect((await running.engine.store.readStream(walletStream(tenantA))).length).toBe(walletBefore);
    });

    it('an operator-wide entry blocks every tenant, and only the operator can remove it', async () => {
      const added = await request(app()).post('/api/v1/operator/dnc').set(asOperator()).send({ phone: '03011234567', reason: 'regulator list' });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body).toMatchObject({ phone: '+923011234567', scope: 'operator' });

      const callsBefore = await callEvents();
      for (const auth of [asA(), asB()]) {
        const refused = await call(auth, '+923011234567');
        expect(refused.status).toBe(451);
        expect(refused.body.error.details).toEqual({ scope: 'operator', phone: '+923011234567' });
        expect((await check(auth, '0301-1234567')).body).toMatchObject({ listed: true, scope: 'operator', reason: 'regulator list' });
      }
      expect(await callEvents()).toBe(callsBefore);

      const tenantRemoves = await request(app()).delete('/api/v1/compliance/dnc/+923011234567').set(asB());
      expect(tenantRemoves.status).toBe(403);
      expect(tenantRemoves.body.error.code).toBe('DNC_ENTRY_OPERATOR_WIDE');

      // A tenant key is not the operator's, and the operator key is not a tenant's.
      expect((await request(app()).post('/api/v1/operator/dnc').set(asA()).send({ phone: '03021234567' })).status).toBe(401);
      expect((await request(app()).post('/api/v1/compliance/dnc').set(asOperator()).send({ phone: '03021234567' })).status).toBe(403);

      const listed = await request(app()).get('/api/v1/operator/dnc?page=1&limit=10').set(asOperator());
      expect(listed.body.data.map((row: { phone: string }) => row.phone)).toEqual(['+923011234567']);
      // Operator-wide entries are not part of a tenant's own list.
      expect((await request(app()).get('/api/v1/compliance/dnc').set(asB())).body.data).toEqual([]);

      const removed = await request(app()).delete('/api/v1/operator/dnc/03011234567?reason=lifted').set(asOperator());
      expect(removed.status, JSON.stringify(removed.body)).toBe(204);
      expect((await check(asB(), '03011234567')).body).toMatchObject({ listed: false, scope: null });
      expect((await call(asB(), '03011234567')).status).toBe(201);
    });

    it('a removal lifts the block and keeps the history; removing an unlisted number is 404', async () => {
      const removed = await request(app()).delete('/api/v1/compliance/dnc/03001234567').set(asA()).send({ reason: 'consented' });
      expect(removed.status, JSON.stringify(removed.body)).toBe(204);
      const history = await running.engine.store.readStream(dncStream(tenantA));
      expect(history.map((event) => event.type)).toEqual(['DncEntryAdded', 'DncEntryRemoved']);
      expect(history[1]!.data).toMatchObject({ phone: '+923001234567', reason: 'consented' });
      expect(history[1]!.metadata.actor).toMatch(/^apikey:/);
      expect((await check(asA(), '03001234567')).body.listed).toBe(false);
      const placed = await call(asA(), '03001234567');
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);

      const again = await request(app()).delete('/api/v1/compliance/dnc/03001234567').set(asA());
      expect(again.status).toBe(404);
      expect(again.body.error).toMatchObject({ code: 'DNC_ENTRY_NOT_FOUND', details: { phone: '+923001234567' } });
    });

    it('keeps tenants apart: B never sees A’s entries and is never blocked by them', async () => {
      expect((await request(app()).post('/api/v1/compliance/dnc').set(asA()).send({ phone: '03331234567' })).status).toBe(201);
      expect((await check(asB(), '03331234567')).body.listed).toBe(false);
      expect((await request(app()).get('/api/v1/compliance/dnc?page=1&limit=25').set(asB())).body.data).toEqual([]);
      expect((await request(app()).delete('/api/v1/compliance/dnc/03331234567').set(asB())).status).toBe(404);
      expect((await call(asB(), '03331234567')).status).toBe(201);
      expect((await call(asA(), '03331234567')).status).toBe(451);
      const ownList = await request(app()).get('/api/v1/compliance/dnc?limit=25').set(asA());
      expect(ownList.body.data.map((row: { phone: string }) => row.phone)).toEqual(['+923331234567']);
      expect(ownList.body.data[0]).toMatchObject({ operator_listed: false, scope: 'tenant' });
    });

    it('gives the dialer one screen: a keypress opt-out is seen by a check that waits for its position, and by a batch check', async () => {
      const callId = crypto.randomUUID();
      const { position } = await running.engine.compliance.service.recordOptOut({
        tenantId: tenantA,
        phone: '+923211234567',
        callId,
        reason: 'pressed 9',
        actor: 'engine',
        correlationId: crypto.randomUUID(),
        causationId: crypto.randomUUID(),
      });
      expect(position).not.toBeNull();
      const screen = running.engine.compliance.screen;
      // No sleep and no HTTP wait: `after` alone makes the answer include the opt-out.
      expect(await screen.check(tenantA, '+923211234567', { after: position })).toMatchObject({ scope: 'tenant', source: 'keypress', callId, reason: 'pressed 9' });
      expect(await screen.check(crypto.randomUUID(), '+923211234567', { after: position })).toBeNull();
      const among = await screen.listedAmong(tenantA, ['+923211234567', '+923221234567', '+923331234567'], { after: position });
      expect([...among].sort()).toEqual(['+923211234567', '+923331234567']);
      // A second opt-out of the same number changes nothing.
      const again = await running.engine.compliance.service.recordOptOut({
        tenantId: tenantA, phone: '+923211234567', callId: crypto.randomUUID(), reason: null, actor: 'engine', correlationId: 'c', causationId: 'c',
      });
      expect(again.position).toBeNull();
      expect((await call(asA(), '03211234567')).status).toBe(451);
    });

    it('imports a CSV with the contacts report, and refuses a file with no valid row (422) and bad numbers (422)', async () => {
      const csv = 'phone,reason\n03451234567,complaint\n0345 123 4568,\nnot-a-number,x\n03451234567,repeat\n';
      const imported = await upload('/api/v1/compliance/dnc/import', asA(), csv, { reason: 'bulk' });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      expect(imported.body).toMatchObject({ imported: 2, duplicates_existing: 0, rejected: 2 });
      expect(imported.body.errors.map((error: { line: number; reason: string }) => [error.line, error.reason])).toEqual([[4, 'invalid_number'], [5, 'duplicate_in_file']]);
      expect((await check(asA(), '+923451234567')).body).toMatchObject({ listed: true, reason: 'complaint', source: 'import' });
      expect((await check(asA(), '+923451234568')).body).toMatchObject({ listed: true, reason: 'bulk' });
      expect((await call(asA(), '03451234568')).status).toBe(451);

      const before = (await running.engine.store.readStream(dncStream(tenantA))).length;
      const none = await upload('/api/v1/compliance/dnc/import', asA(), 'phone\nabc\n12\n');
      expect(none.status).toBe(422);
      expect(none.body.error.code).toBe('CSV_NO_VALID_ROWS');
      expect((await running.engine.store.readStream(dncStream(tenantA))).length).toBe(before);

      const operatorImport = await upload('/api/v1/operator/dnc/import', asOperator(), '03461234567\n+923461234568\n');
      expect(operatorImport.status, JSON.stringify(operatorImport.body)).toBe(201);
      expect(operatorImport.body.imported).toBe(2);
      expect((await check(asB(), '03461234568')).body.scope).toBe('operator');

      for (const bad of [{ phone: '12345' }, { phone: 'call me' }]) {
        const res = await request(app()).post('/api/v1/compliance/dnc').set(asA()).send(bad);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('INVALID_PHONE_NUMBER');
      }
      expect((await check(asA(), '12345')).status).toBe(422);
      expect((await request(app()).post('/api/v1/compliance/dnc').set(asA()).send({ reason: 'no number' })).status).toBe(422);
      expect((await request(app()).post('/api/v1/compliance/dnc').set(asA()).send({ phone: '03001234567', colour: 'red' })).status).toBe(422);
    });
  });
}
