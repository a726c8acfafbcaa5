import { apiDeclaration, resourceListing } from '../swagger/api-docs.ts';
import { ok, problem, type Route, type RouteInput } from '../http-kit.ts';
import { asteriskTimestamp } from '../sim-clock.ts';

/** What the server says about itself: api-docs, server info and the applications it knows. */

function applicationJson({ world }: RouteInput, name: string): object {
  const channelIds = [...world.channels.values()].filter((channel) => channel.app === name).map((channel) => channel.id);
  return {
    name,
    channel_ids: channelIds,
    bridge_ids: [],
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

export const infoRoutes: readonly Route[] = [
  { method: 'GET', path: '/api-docs/resources.json', handle: ({ host }) => ok(resourceListing(host)) },
  {
    method: 'GET',
    path: '/api-docs/:file',
    handle: ({ params, host }) => {
      const name = /^(\w+)\.json$/.exec(params['file'] ?? '')?.[1] ?? '';
      const declaration = apiDeclaration(name, host);
      return declaration === null ? problem(404, 'Resource not found') : ok(declaration);
    },
  },
  {
    method: 'GET',
    path: '/asterisk/info',
    handle: ({ world }) =>
      ok({
        build: { os: 'Linux', kernel: '', machine: 'x86_64', options: '', date: '', user: 'calltrail' },
        system: { version: 'calltrail ARI simulator', entity_id: world.config.asteriskId },
        config: { name: 'calltrail-sim', default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
        status: {
          startup_time: asteriskTimestamp(world.startedAtMs),
          last_reload_time: asteriskTimestamp(world.startedAtMs),
        },
      }),
  },
  {
    method: 'GET',
    path: '/applications',
    handle: (input) => ok(input.world.events.applications().map((name) => applicationJson(input, name))),
  },
  {
    method: 'GET',
    path: '/applications/:applicationName',
    handle: (input) => {
      const name = input.params['applicationName'] ?? '';
      return input.world.events.applications().includes(name)
        ? ok(applicationJson(input, name))
        : problem(404, 'Application not found');
    },
  },
];
