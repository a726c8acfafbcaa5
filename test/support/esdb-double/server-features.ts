/**
 * `ServerFeatures.GetSupportedMethods`, which the client calls once per connection before its first
 * append to choose between Append and BatchAppend. Advertising only what the double implements
 * steers the client onto the plain Append path. Test double only.
 */
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';

const STREAMS = 'event_store.client.streams.Streams';
const SERVER_FEATURES = 'event_store.client.server_features.ServerFeatures';

const ADVERTISED: ReadonlyArray<readonly [service: string, method: string]> = [
  [STREAMS, 'Read'],
  [STREAMS, 'Append'],
  [SERVER_FEATURES, 'GetSupportedMethods'],
];

export const DOUBLE_SERVER_VERSION = '0.0.0-calltrail-esdb-double';

export function createServerFeaturesService() {
  return {
    getSupportedMethods(
      _call: ServerUnaryCall<unknown, unknown>,
      callback: sendUnaryData<InstanceType<typeof serverFeaturesPb.SupportedMethods>>,
    ): void {
      const supported = new serverFeaturesPb.SupportedMethods();
      supported.setEventStoreServerVersion(DOUBLE_SERVER_VERSION);
      for (const [service, method] of ADVERTISED) {
        const entry = new serverFeaturesPb.SupportedMethod();
        entry.setServiceName(service);
        entry.setMethodName(method);
        supported.addMethods(entry);
      }
      callback(null, supported);
    },
  };
}
