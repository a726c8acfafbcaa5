import { DomainError, InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import type { CallCommand } from '../commands.ts';
import type { CallState } from '../state.ts';

export function callNotFound(command: CallCommand): never {
  throw new NotFoundError('CALL_NOT_FOUND', `Call ${command.data.callId} does not exist.`, {
    callId: command.data.callId,
    command: command.type,
  });
}

export function refuse(command: CallCommand, state: CallState, why: string): never {
  throw new InvalidTransitionError(`Cannot ${command.type} a call that is ${state.status}: ${why}.`, {
    callId: command.data.callId,
    command: command.type,
    status: state.status,
  });
}

export function wrongCall(command: CallCommand, expected: string): never {
  throw new DomainError('CALL_ID_MISMATCH', `Command for call ${command.data.callId} sent to call ${expected}.`, {
    callId: command.data.callId,
    expected,
  });
}
