/**
 * Server-side $all filters as the client sends them: a regex or a list of prefixes, applied to the
 * event type or to the stream name. The client's `excludeSystemEvents()` is the event-type regex
 * `^[^$].*`. Test double only.
 */
import type streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { StoredRecord } from './event-log.ts';

type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type Expression = InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions.Expression>;

export type RecordFilter = (record: StoredRecord) => boolean;

const everything: RecordFilter = () => true;

function matcherFor(expression: Expression): (value: string) => boolean {
  const regex = expression.getRegex();
  if (regex) {
    const compiled = new RegExp(regex);
    return (value) => compiled.test(value);
  }
  const prefixes = expression.getPrefixList();
  return (value) => prefixes.some((prefix) => value.startsWith(prefix));
}

export function compileFilter(options: ReadOptions): RecordFilter {
  if (!options.hasFilter()) return everything;
  const filter = options.getFilter()!;
  if (filter.hasEventType()) {
    const matches = matcherFor(filter.getEventType()!);
    return (record) => matches(record.type);
  }
  if (filter.hasStreamIdentifier()) {
    const matches = matcherFor(filter.getStreamIdentifier()!);
    return (record) => matches(record.streamName);
  }
  return everything;
}
