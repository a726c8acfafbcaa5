import { randomUUID } from 'node:crypto';
import type { OriginateRequest } from '../../../../src/adapters/telephony/port.ts';

/** An originate for tenant-a with a fresh call id, no media and no recording, unless `extra` says otherwise. */
export function originateRequest(to: string, extra: Partial<OriginateRequest> = {}): OriginateRequest {
  return {
    callId: randomUUID(),
    tenantId: 'tenant-a',
    to,
    callerId: null,
    media: null,
    record: false,
    ringTimeoutSeconds: 30,
    maxDurationSeconds: 300,
    ...extra,
  };
}
