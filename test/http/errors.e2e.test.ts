import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type express from 'express';
import { createApp } from '../../src/http/app.ts';
import { DomainError, InvalidTransitionError, NotFoundError, ValidationError } from '../../src/domain/shared/errors.ts';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../../src/adapters/eventstore/port.ts';
import { TelephonyUnavailableError } from '../../src/adapters/telephony/port.ts';
import { fakeDependencies, TOKEN_A, type Fakes } from './support/fake-dependencies.ts';

let fakes: Fakes;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  app = createApp(fakes.deps);
});

const placeCall = () =>
  request(app).post('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`).send({ phone_number: '+4915112345678' });

describe('error rendering', () => {
  it.each([
    ['an invalid phone number', 422, 'INVALID_PHONE_NUMBER', new DomainError('INVALID_PHONE_NUMBER', 'Not a phone number', { input: '+49' })],
    ['a domain validation error', 422, 'VALIDATION_ERROR', new ValidationError('Bad currency')],
    ['a missing account', 404, 'ACCOUNT_NOT_FOUND', new NotFoundError('ACCOUNT_NOT_FOUND', 'No account')],
    ['an invalid transition', 409, 'INVALID_STATE_TRANSITION', new InvalidTransitionError('Call already ended')],
    ['a duplicate call', 409, 'CALL_ALREADY_EXISTS', new DomainError('CALL_ALREADY_EXISTS', 'Exists')],
    ['an empty balance', 402, 'INSUFFICIENT_BALANCE', new DomainError('INSUFFICIENT_BALANCE', 'Top up')],
    ['any other domain error', 422, 'CAMPAIGN_PAUSED', new DomainError('CAMPAIGN_PAUSED', 'Paused')],
    ['a concurrent write', 409, 'CONFLICT', new WrongExpectedRevisionError('call-1', 3n, 4n)],
    ['a down event store', 503, 'EVENT_STORE_UNAVAILABLE', new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.5:5432')],
    ['a down PBX', 503, 'TELEPHONY_UNAVAILABLE', new TelephonyUnavailableError('ari at 10.0.0.9 unreachable')],
  ])('renders %s as %i %s', async (_name, status, code, error) => {
    fakes.calls.failNextWith = error;

    const res = await placeCall();

    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
  });

  it('passes a domain error\'s message and details through', async () => {
    fakes.calls.failNextWith = new DomainError('INVALID_PHONE_NUMBER', 'Not a phone number', { input: '+49' });

    const res = await placeCall();

    expect(res.body.error).toEqual({ code: 'INVALID_PHONE_NUMBER', message: 'Not a phone number', details: { input: '+49' } });
  });

  it('keeps infrastructure details out of 503 bodies', async () => {
    fakes.calls.failNextWith = new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.5:5432');

    const res = await placeCall();

    expect(JSON.stringify(res.body)).not.toContain('10.0.0.5');
  });

  it('hides an unexpected error behind a generic 500 and logs it with the request id', async () => {
    fakes.calls.failNextWith = new TypeError('cannot read properties of undefined (reading "secretColumn")');

    const res = await placeCall().set('X-Request-Id', 'req-500-test');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'An internal error occurred', details: {} } });
    expect(JSON.stringify(res.body)).not.toMatch(/secretColumn|TypeError|at /);
    const logged = fakes.logger.entries.find((entry) => entry.level === 'error');
    expect(logged?.fields).toMatchObject({ requestId: 'req-500-test', error: { name: 'TypeError' } });
    expect(JSON.stringify(logged?.fields)).toContain('secretColumn');
  });

  it('hides a thrown non-Error too', async () => {
    fakes.calls.failNextWith = 'a string';

    const res = await placeCall();

    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
  });

  it('does not log client errors as server errors', async () => {
    fakes.calls.failNextWith = new NotFoundError('CALL_NOT_FOUND', 'Call not found');

    await placeCall();

    expect(fakes.logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await request(app).get('/nowhere');

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['DELETE', '/api/v1/calls', 'GET, POST'],
    ['PUT', '/api/v1/calls/00000000-0000-4000-8000-000000000000', 'GET'],
    ['GET', '/api/v1/calls/00000000-0000-4000-8000-000000000000/hangup', 'POST'],
    ['GET', '/api/v1/calls/outbound', 'POST'],
  ])('answers %s %s with 405 and Allow', async (method, path, allow) => {
    const res = await request(app)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${TOKEN_A}`);

    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
