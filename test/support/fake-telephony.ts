import { Subject, type Observable } from 'rxjs';
import type {
  OriginateRequest,
  OriginateResult,
  RecordingFile,
  TelephonyHealth,
  TelephonyOutcome,
  TelephonyPort,
} from '../../src/adapters/telephony/port.ts';

/** A telephony port that records what it is asked and reports only what a test tells it to. */
export class FakeTelephony implements TelephonyPort {
  readonly originated: OriginateRequest[] = [];
  readonly hungUp: string[] = [];
  private readonly subject = new Subject<TelephonyOutcome>();
  readonly outcomes: Observable<TelephonyOutcome> = this.subject.asObservable();
  /** When set, originate rejects with it (after recording the request). */
  failWith: Error | null = null;

  async originate(request: OriginateRequest): Promise<OriginateResult> {
    this.originated.push(request);
    if (this.failWith) throw this.failWith;
    return { channelId: `calltrail-${request.callId}` };
  }

  async hangup(callId: string): Promise<void> {
    this.hungUp.push(callId);
  }

  async recordingFile(): Promise<RecordingFile | null> {
    return null;
  }

  async health(): Promise<TelephonyHealth> {
    return { ok: true, nodes: [{ name: 'fake', ok: true }] };
  }

  async close(): Promise<void> {
    this.subject.complete();
  }

  report(outcome: TelephonyOutcome): void {
    this.subject.next(outcome);
  }

  originatesFor(callId: string): number {
    return this.originated.filter((request) => request.callId === callId).length;
  }
}
