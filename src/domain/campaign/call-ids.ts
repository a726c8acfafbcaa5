import { uuidV5 } from '../shared/uuid-v5.ts';

/**
 * The call id of one attempt, derived from what the attempt is: (campaign, contact, attempt
 * number). A second dialer process, a restart or a redelivered event that places the same attempt
 * names the same Call stream, which already exists, so the call is never created twice. Like the
 * PBX channel id (call/channel-id.ts), it is recomputed rather than remembered.
 */
const CAMPAIGN_ATTEMPT_NAMESPACE = '5b0f7d1e-3c4a-4f8e-9a61-2d7c8e90b3f4';

export function callIdForAttempt(campaignId: string, contactId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a positive integer, got ${attempt}`);
  // JSON keeps the parts apart whatever characters the ids hold.
  return uuidV5(JSON.stringify([campaignId, contactId, attempt]), CAMPAIGN_ATTEMPT_NAMESPACE);
}
