/** One function per aggregate names its stream, so no caller builds stream names by hand. */
export const callStream = (callId: string): string => `call-${callId}`;
export const accountStream = (accountId: string): string => `account-${accountId}`;
export const walletStream = (accountId: string): string => `wallet-${accountId}`;
export const ratePlanStream = (planId: string): string => `rateplan-${planId}`;
export const audioStream = (audioId: string): string => `audio-${audioId}`;
/** The operator's keys: one stream for the whole installation, not per tenant. */
export const operatorKeysStream = (): string => 'operator-keys';
/** A campaign's lifecycle and every contact's attempts: one stream, so its claims share one revision. */
export const campaignStream = (campaignId: string): string => `campaign-${campaignId}`;

export function categoryOf(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
}

export function idOf(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash === -1 ? '' : streamName.slice(dash + 1);
}
/** A tenant's contacts and contact lists: one stream, so a phone number can be unique in it. */
export const contactBookStream = (tenantId: string): string => `contactbook-${tenantId}`;
/** A tenant's do-not-call list; the operator's list, which every tenant obeys, is `dnc-operator`. */
export const dncStream = (tenantId: string): string => `dnc-${tenantId}`;
export const operatorDncStream = (): string => 'dnc-operator';
/** A single call waiting for its calling hours; once placed, the call itself is `call-<same id>`. */
export const scheduledCallStream = (callId: string): string => `scheduledcall-${callId}`;
/** A webhook endpoint: its settings and its sealed signing secrets. */
export const webhookStream = (endpointId: string): string => `webhook-${endpointId}`;
