/**
 * A wire-level EventStoreDB double: a real gRPC server (@grpc/grpc-js) speaking the Streams and
 * ServerFeatures services with the message classes generated inside @eventstore/db-client, so the
 * unmodified client talks to it exactly as to a single insecure node.
 *
 * THIS IS A TEST DOUBLE ONLY. Nothing in src/ may import it.
 *
 * It keeps its data in memory across stop()/start(), so tests can crash and restart "the server"
 * on the same port and watch the adapter recover.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import { EventLog, type StoredRecord } from './event-log.ts';
import { createStreamsService } from './streams-service.ts';
import { createServerFeaturesService } from './server-features.ts';

export type DoubleEvent = {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly position: bigint;
  /** Parsed JSON for application/json events, raw bytes otherwise. */
  readonly data: unknown;
  readonly metadata: unknown;
};

export type EsdbDouble = {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** Drops every connection at once, like a killed server. Stored events survive. */
  stop(): Promise<void>;
  /** Serves again on the same port with the same events. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Everything in the log, system events included, in log order. */
  events(): DoubleEvent[];
  /** Writes a server-internal event (stream and type start with `$`), as ESDB does on its own. */
  appendSystemEvent(streamName: string, type: string): void;
  /**
   * Appends that arrive from now on are received but not committed until `release()` runs; a
   * stop() in between discards them, like a crash before the write hit the log. `arrived`
   * resolves once an append is fully received and waiting.
   */
  holdCommits(): { readonly arrived: Promise<void>; release(): void };
  /** Subscription calls currently open on the server. */
  openSubscriptions(): number;
  /**
   * Test-only tampering: replaces the JSON data (and optionally metadata) of a stored event in
   * place, as if someone edited the server's files. Throws when the event does not exist.
   */
  tamperWithEvent(streamName: string, revision: bigint, change: { data?: unknown; metadata?: unknown }): void;
};

function decode(bytes: Uint8Array, json: boolean): unknown {
  if (bytes.length === 0) return undefined;
  if (!json) return bytes;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return bytes;
  }
}

function toDoubleEvent(record: StoredRecord): DoubleEvent {
  return {
    id: record.id,
    streamName: record.streamName,
    revision: record.revision,
    type: record.type,
    position: record.position,
    data: decode(record.data, record.contentType === 'application/json'),
    metadata: decode(record.customMetadata, true),
  };
}

async function bind(server: Server, port: number): Promise<number> {
  // A port just released by a stopped server can linger for a moment; retry briefly.
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) => {
        server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        );
      });
    } catch (error) {
      if (port === 0 || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function startEsdbDouble(options: { port?: number } = {}): Promise<EsdbDouble> {
  const log = new EventLog();
  log.append('$$$scavenges', { kind: 'any' }, [systemRecord('$metadata')]);
  log.append('$projections-$all', { kind: 'any' }, [systemRecord('$ProjectionsInitialized')]);

  let server: Server | undefined;
  let port = options.port ?? 0;
  let generation = 0;
  let gate: { promise: Promise<void>; release: () => void; arrive: () => void } | undefined;
  const subscriptions = { open: 0 };

  const streams = createStreamsService(log, subscriptions, {
    beforeCommit: () => {
      if (!gate) return Promise.resolve();
      gate.arrive();
      return gate.promise;
    },
    generation: () => generation,
    isServing: (acceptedIn) => server !== undefined && acceptedIn === generation,
  });
  const features = createServerFeaturesService();

  async function start(): Promise<void> {
    if (server) return;
    const next = new Server();
    next.addService(streamsGrpc.StreamsService, streams);
    next.addService(serverFeaturesGrpc.ServerFeaturesService, features);
    port = await bind(next, port);
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    if (!current) return;
    server = undefined;
    generation += 1;
    current.forceShutdown();
    // Held appends belonged to the dead server: let them run to their "not serving" check and vanish.
    gate?.release();
    gate = undefined;
  }

  await start();

  return {
    get url() {
      return `esdb://127.0.0.1:${port}?tls=false`;
    },
    get port() {
      return port;
    },
    get running() {
      return server !== undefined;
    },
    start,
    stop,
    close: stop,
    events: () => log.snapshot().map(toDoubleEvent),
    appendSystemEvent(streamName, type) {
      log.append(streamName, { kind: 'any' }, [systemRecord(type)]);
    },
    holdCommits() {
      let release = () => {};
      let arrive = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const held = { promise, release, arrive };
      gate = held;
      return {
        arrived,
        release() {
          held.release();
          if (gate === held) gate = undefined;
        },
      };
    },
    openSubscriptions: () => subscriptions.open,
    tamperWithEvent(streamName, revision, change) {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
      const found = log.tamper(streamName, revision, () => ({
        ...(change.data !== undefined && { data: encode(change.data) }),
        ...(change.metadata !== undefined && { customMetadata: encode(change.metadata) }),
      }));
      if (!found) throw new Error(`no event ${streamName}@${revision} to tamper with`);
    },
  };
}

function systemRecord(type: string) {
  return {
    id: crypto.randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from('{}'),
    customMetadata: new Uint8Array(),
  };
}
