import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/shared/errors.ts';
import { webhookEndpointDecider as decider, type WebhookEndpointCommand } from '../../../src/domain/webhook/index.ts';

const endpointId = '0b7d5a2e-3f4c-4d1e-9a8b-7c6d5e4f3a2b';
const at = '2026-12-03T10:00:00.000Z';
const sealedSecret = 'v1.aaaa.bbbb.cccc';
const create: WebhookEndpointCommand = { type: 'CreateWebhookEndpoint', data: { endpointId, url: 'https://h.example/x', events: ['*'], description: null, enabled: true, sealedSecret, at } };

const fold = (commands: WebhookEndpointCommand[]) =>
  commands.reduce((state, command) => decider.decide(command, state).reduce(decider.evolve, state), decider.initialState());

describe('the webhook endpoint decider', () => {
  it('creates once; a second create of the id is refused', () => {
    const state = fold([create]);
    expect(state).toMatchObject({ exists: true, enabled: true });
    expect(() => decider.decide(create, state)).toThrow(DomainError);
  });

  it('refuses changes to a missing or deleted endpoint with WEBHOOK_NOT_FOUND', () => {
    const update: WebhookEndpointCommand = { type: 'UpdateWebhookEndpoint', data: { endpointId, changes: { description: 'x' }, at } };
    expect(() => decider.decide(update, decider.initialState())).toThrow(/No webhook endpoint/);
    const deleted = fold([create, { type: 'DeleteWebhookEndpoint', data: { endpointId, at } }]);
    for (const command of [update, { type: 'DeleteWebhookEndpoint', data: { endpointId, at } }, { type: 'RotateWebhookSecret', data: { endpointId, sealedSecret, previousValidUntil: at, at } }] as WebhookEndpointCommand[]) {
      expect(() => decider.decide(command, deleted)).toThrow(expect.objectContaining({ code: 'WEBHOOK_NOT_FOUND' }));
    }
  });

  it('an empty change writes nothing; a rotation writes the new sealed secret and the old one\'s end', () => {
    const state = fold([create]);
    expect(decider.decide({ type: 'UpdateWebhookEndpoint', data: { endpointId, changes: {}, at } }, state)).toEqual([]);
    const [rotated] = decider.decide({ type: 'RotateWebhookSecret', data: { endpointId, sealedSecret: 'v1.x.y.z', previousValidUntil: '2026-12-04T10:00:00.000Z', at } }, state);
    expect(rotated).toMatchObject({ type: 'WebhookSecretRotated', data: { sealedSecret: 'v1.x.y.z', previousValidUntil: '2026-12-04T10:00:00.000Z' } });
  });

  it('refuses a plaintext secret in an event: only a sealed one is stored', () => {
    expect(() => decider.decide({ ...create, data: { ...create.data, sealedSecret: 'whsec_plain' } } as WebhookEndpointCommand, decider.initialState())).toThrow(/invalid WebhookEndpointCreated/);
  });

  it('disabling by delivery happens once, and enabling again clears the reason', () => {
    const disable: WebhookEndpointCommand = { type: 'DisableWebhookEndpoint', data: { endpointId, reason: 'gone', message: '410', consecutiveFailures: 1, at } };
    const disabled = fold([create, disable]);
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(decider.decide(disable, disabled)).toEqual([]);
    expect(fold([create, disable, { type: 'UpdateWebhookEndpoint', data: { endpointId, changes: { enabled: true }, at } }])).toMatchObject({ enabled: true, disabledReason: null });
  });
});
