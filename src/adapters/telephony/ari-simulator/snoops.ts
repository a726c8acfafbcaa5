import { asteriskUniqueId, newSimChannel } from './channels.ts';
import { channelJson } from './render.ts';
import type { SimChannel, SimWorld } from './world.ts';

/**
 * Snoop channels (`POST /channels/{id}/snoop`). Asterisk makes a new channel of technology
 * `Snoop`, already Up, that hears the spied channel's audio (`spy`) and can speak into it
 * (`whisper`), and hands it to a Stasis application of its own. It is a channel in its own
 * right, with its own media queue: a recording on the snoop does not hold back a play on the
 * spied channel, which is how calltrail records a call while its broadcast plays. When the spied
 * channel goes, the snoop has nothing to read and Asterisk hangs it up (res_stasis_snoop).
 * API: https://docs.asterisk.org/Latest_API/API_Documentation/Asterisk_REST_Interface/Channels_REST_API/
 * (snoopChannel and snoopChannelWithId).
 */

export const SNOOP_DIRECTIONS = ['none', 'both', 'out', 'in'] as const;
export type SnoopDirection = (typeof SNOOP_DIRECTIONS)[number];

export type SnoopRequest = {
  readonly snoopId: string | undefined;
  readonly app: string;
  readonly appArgs: string;
  readonly spy: SnoopDirection;
  readonly whisper: SnoopDirection;
};

export const isSnoopDirection = (value: string): value is SnoopDirection => (SNOOP_DIRECTIONS as readonly string[]).includes(value);

export function createSnoop(world: SimWorld, spied: SimChannel, request: SnoopRequest): SimChannel {
  const sequence = world.nextChannelSequence();
  const createdAtMs = world.clock.nowMs();
  const snoop = newSimChannel({
    id: request.snoopId ?? asteriskUniqueId(createdAtMs, sequence),
    name: `Snoop/${spied.id}-${sequence.toString(16).padStart(8, '0')}`,
    endpoint: '',
    technology: 'Snoop',
    trunk: '',
    digits: '',
    app: request.app,
    args: request.appArgs === '' ? [] : request.appArgs.split(','),
    caller: { name: '', number: '' },
    originateVariableNames: [],
    variables: new Map(),
    createdAtMs,
    ringTimeoutMs: null,
    state: 'Up',
    snooping: { channelId: spied.id, spy: request.spy, whisper: request.whisper },
  });
  world.channels.set(snoop.id, snoop);
  spied.snoopIds.add(snoop.id);
  // Asterisk starts the snoop's Stasis application on a thread of its own, after answering the
  // request: until StasisStart arrives, media requests on the snoop are refused (409).
  snoop.timers.after(0, () => {
    if (snoop.ended) return;
    snoop.inStasis = true;
    world.emit(snoop, 'StasisStart', { args: snoop.args, channel: channelJson(snoop) }, createdAtMs);
  });
  return snoop;
}
