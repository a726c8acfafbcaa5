import { describe, expect, it } from 'vitest';
import { campaignCodec } from '../../src/commands/campaigns/campaign-codec.ts';
import type { RecordedEvent } from '../../src/domain/shared/messages.ts';
import { settingsWith } from '../domain/campaign/fixtures.ts';

const { optOutDigit: _none, ...settingsBeforeV2 } = settingsWith();

const v1Created: RecordedEvent = {
  type: 'CampaignCreated',
  data: { campaignId: 'camp-1', tenantId: 't-1', settings: settingsBeforeV2, createdAt: '2026-01-01T00:00:00.000Z' },
  metadata: {
    eventId: 'e-1',
    correlationId: 'c-1',
    causationId: 'r-1',
    tenantId: 't-1',
    actor: 'apikey:k-1',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
  streamName: 'campaign-camp-1',
  streamRevision: 0n,
  position: { commit: 1n, prepare: 1n },
};

describe('campaign event codec', () => {
  it('loads a v1 CampaignCreated written before opt-out keys existed with no opt-out digit', () => {
    const decoded = campaignCodec.decode(v1Created);
    expect(decoded?.data).toEqual({ ...v1Created.data, settings: { ...settingsBeforeV2, optOutDigit: null } });
  });

  it('passes a current v2 event through untouched and writes new ones at v2', () => {
    const v2 = { ...v1Created, data: { ...v1Created.data, settings: settingsWith({ optOutDigit: '9' }) }, metadata: { ...v1Created.metadata, schemaVersion: 2 } };
    expect(campaignCodec.decode(v2)?.data).toEqual(v2.data);
    expect(campaignCodec.encode(campaignCodec.decode(v2)!).schemaVersion).toBe(2);
  });
});
