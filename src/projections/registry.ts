import { accountsProjection } from './accounts/projection.ts';
import { audioProjection } from './audio/projection.ts';
import { billingProjection } from './billing/projection.ts';
import { callsProjection } from './calls/projection.ts';
import { campaignsProjection } from './campaigns/projection.ts';
import { contactsProjection } from './contacts/projection.ts';
import { dncProjection } from './dnc/projection.ts';
import type { Projection } from './projection.ts';
import { scheduledCallsProjection } from './scheduled-calls/projection.ts';

/**
 * Every read-model projection, by name: what the engine runs and what `calltrail replay` can
 * rebuild. A new read model is added here, and only here.
 */
export const readModelProjections: readonly Projection[] = [
  callsProjection,
  accountsProjection,
  audioProjection,
  billingProjection,
  contactsProjection,
  campaignsProjection,
  dncProjection,
  scheduledCallsProjection,
];

export function projectionNamed(name: string): Projection | undefined {
  return readModelProjections.find((projection) => projection.name === name);
}
