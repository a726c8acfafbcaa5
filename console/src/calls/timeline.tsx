import { formatTime } from '../format/values.ts';
import type { TimelineEntry } from './detail-types.ts';

/** The call's events in the order the log holds them, with who caused each. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p class="muted">No events recorded yet.</p>;
  return (
    <div class="table-wrap">
      <table data-testid="call-timeline">
        <caption class="visually-hidden">Events of this call, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.event_id}>
              <td>{formatTime(entry.at)}</td>
              <td>{entry.type}</td>
              <td class="mono">{entry.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
