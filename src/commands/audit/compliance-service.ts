import type { EventStore } from '../../adapters/eventstore/port.ts';
import { ComplianceAudit, type ComplianceReport, type DialledCall } from '../../domain/audit/compliance.ts';
import type { GlobalPosition, RecordedEvent } from '../../domain/shared/messages.ts';
import { callStream, categoryOf } from '../../domain/shared/streams.ts';
import { callCodec } from '../calls/call-codec.ts';
import { campaignCodec } from '../campaigns/campaign-codec.ts';
import { dncCodec } from '../dnc/dnc-service.ts';

type Decoder = { decode(recorded: RecordedEvent): { type: string; data: unknown } | null };

/** The streams the compliance fold reads, and how each is lifted to its current schema. */
const DECODERS: Readonly<Record<string, Decoder>> = { dnc: dncCodec, campaign: campaignCodec, call: callCodec };

const PAGE = 5_000;

/**
 * Runs the compliance fold (src/domain/audit/compliance.ts) over the event log, never a read
 * model: the do-not-call lists are rebuilt from their events, in the log's own order, so each
 * dial is judged against exactly the listings ordered before it.
 */
export class ComplianceService {
  constructor(private readonly store: EventStore) {}

  /** Every call whose CallDialing is in [from, to). */
  async audit(from: string, to: string, onProgress?: (scanned: number) => void): Promise<ComplianceReport> {
    const fold = new ComplianceAudit(from, to);
    await this.scan(fold, onProgress);
    return fold.report();
  }

  /** One call's proof (the dispute report's), or null when it was never dialled. */
  async call(callId: string): Promise<DialledCall | null> {
    const dialing = (await this.store.readStream(callStream(callId))).find((event) => event.type === 'CallDialing');
    if (!dialing) return null;
    const at = (dialing.data as { at: string }).at;
    const fold = new ComplianceAudit(at, new Date(Date.parse(at) + 1).toISOString());
    // The whole log: the lists are folded from their first event, and a CallBlocked follows the dial.
    await this.scan(fold);
    return fold.report().calls.find((call) => call.callId === callId) ?? null;
  }

  private async scan(fold: ComplianceAudit, onProgress?: (scanned: number) => void): Promise<void> {
    let after: GlobalPosition | undefined;
    let scanned = 0;
    for (;;) {
      const page = await this.store.readAll({ ...(after ? { after } : {}), maxCount: PAGE });
      for (const recorded of page) {
        const decoder = DECODERS[categoryOf(recorded.streamName)];
        if (!decoder) continue;
        let decoded: { type: string; data: unknown } | null = null;
        try {
          decoded = decoder.decode(recorded);
        } catch {
          decoded = null; // an event that fits no schema is read as stored
        }
        fold.apply({ ...recorded, type: decoded?.type ?? recorded.type, data: decoded?.data ?? recorded.data });
      }
      scanned += page.length;
      onProgress?.(scanned);
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.position;
    }
  }
}
