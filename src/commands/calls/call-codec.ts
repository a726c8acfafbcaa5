import { callEventSchemas, CURRENT_SCHEMA_VERSION, type CallEvent } from '../../domain/call/events.ts';
import { zodCodec } from '../zod-codec.ts';
import { callUpcasters } from './call-upcasters.ts';

export const callCodec = zodCodec<CallEvent>(callEventSchemas, CURRENT_SCHEMA_VERSION, callUpcasters);
