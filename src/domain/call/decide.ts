import type { CallCommand } from './commands.ts';
import { placeCall } from './decisions/place.ts';
import { markAnswered, markDialing, markRinging } from './decisions/progress.ts';
import { recordDtmf, recordPlayback, recordRecording } from './decisions/media.ts';
import { blockCall, completeCall, failCall, hangupCall, recordLoss } from './decisions/ending.ts';
import { wrongCall } from './decisions/refusals.ts';
import type { CallEvent } from './events.ts';
import type { CallState } from './state.ts';

/**
 * Decides what a command means for a call, given everything that already happened. Pure: time
 * arrives in the command's `at`; nothing is read from a clock, database or PBX.
 *
 * Three kinds of answer:
 * - events: the command changes the call;
 * - `[]`: the command repeats something already true (a client retry, a redelivered PBX event);
 *   repeating a fact is safe, so it is not an error;
 * - an error: the command contradicts what happened. `refuse` = InvalidTransitionError
 *   (INVALID_STATE_TRANSITION); `404` = NotFoundError CALL_NOT_FOUND.
 *
 * | command \ state | Initial       | Requested       | Dialing               | Ringing         | Answered                    | Ended                          |
 * |-----------------|---------------|-----------------|-----------------------|-----------------|-----------------------------|--------------------------------|
 * | PlaceCall       | CallRequested | same data → []; different → CALL_ALREADY_EXISTS (every state after Initial; `at` is not compared)                 |
 * | MarkDialing     | 404           | CallDialing     | same channel → [];    | refuse          | refuse                      | refuse                         |
 * |                 |               |                 | other channel → refuse|                 |                             |                                |
 * | MarkRinging     | 404           | refuse          | CallRinging           | []              | refuse                      | refuse                         |
 * | MarkAnswered    | 404           | CallAnswered    | CallAnswered          | CallAnswered    | same instant → []; else refuse | refuse                      |
 * | RecordPlayback  | 404           | refuse          | refuse                | refuse          | Playback{Started,Finished}; | completed → [] (late straggler)|
 * |                 |               |                 |                       |                 | seen playbackId+phase → []  | failed → refuse                |
 * | RecordDtmf      | 404           | refuse          | refuse                | refuse          | DtmfReceived; same digit at | completed → []; failed → refuse|
 * |                 |               |                 |                       |                 | same instant → []; the      |                                |
 * |                 |               |                 |                       |                 | opt-out digit, first time → |                                |
 * |                 |               |                 |                       |                 | + OptOutRequested (+ Hangup-|                                |
 * |                 |               |                 |                       |                 | Requested unless requested) |                                |
 * | RecordRecording | 404           | refuse          | refuse                | refuse          | RecordingStored; same name  | completed → RecordingStored    |
 * |                 |               |                 |                       |                 | → []                        | (same name → []); failed→refuse|
 * | CompleteCall    | 404           | refuse          | refuse                | refuse          | CallCompleted               | []                             |
 * | FailCall        | 404           | CallFailed      | CallFailed            | CallFailed      | CallCompleted (see below)   | []                             |
 * | HangupCall      | 404           | CallFailed      | HangupRequested;      | same as Dialing | same as Dialing             | []                             |
 * |                 |               | (CANCELLED)     | already requested → []|                 |                             |                                |
 *
 * Rules the table encodes:
 * - Progress only moves forward. A progress report for a step the call is already past is refused
 *   (MarkDialing after ringing/answer, MarkRinging after answer, MarkAnswered after the end).
 * - An answered call that ends is always CallCompleted, whichever command ends it: FailCall on an
 *   answered call records CallCompleted with the reported cause (0 when none). CallFailed is only
 *   ever emitted for a call with no answer.
 * - Once Ended, every ending command (CompleteCall, FailCall, HangupCall) is a no-op, identical or
 *   not: decide never emits a second terminal event.
 * - CallCompleted.billableMs = endedAt − answeredAt, clamped to ≥ 0 (carrier clocks disagree).
 * - CallFailed.retryable comes from the outcome (outcomes.ts).
 * | RecordLoss      | 404           | CallFailed LOST | CallFailed LOST       | CallFailed LOST | CallLost (billed per rule)  | []                             |
 * | BlockCall       | 404           | refuse          | CallBlocked           | refuse          | refuse                      | blocked → []; else refuse      |
 * - A command naming a different call than the state's throws CALL_ID_MISMATCH.
 * - Every event is checked against its zod schema before it is returned (emit.ts), so malformed
 *   command data is a ValidationError, not a stored event.
 */
export function decide(command: CallCommand, state: CallState): CallEvent[] {
  if (state.status !== 'Initial' && state.request.callId !== command.data.callId) {
    return wrongCall(command, state.request.callId);
  }
  switch (command.type) {
    case 'PlaceCall':
      return placeCall(command, state);
    case 'MarkDialing':
      return markDialing(command, state);
    case 'MarkRinging':
      return markRinging(command, state);
    case 'MarkAnswered':
      return markAnswered(command, state);
    case 'RecordPlayback':
      return recordPlayback(command, state);
    case 'RecordDtmf':
      return recordDtmf(command, state);
    case 'RecordRecording':
      return recordRecording(command, state);
    case 'CompleteCall':
      return completeCall(command, state);
    case 'FailCall':
      return failCall(command, state);
    case 'RecordLoss':
      return recordLoss(command, state);
    case 'BlockCall':
      return blockCall(command, state);
    case 'HangupCall':
      return hangupCall(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown call command: ${JSON.stringify(unhandled)}`);
    }
  }
}
