import { useState } from 'preact/hooks';
import { formatMinor } from '../format/values.ts';

/**
 * Charges per day as an SVG bar chart drawn here (no chart library: a few rectangles), with the
 * same figures as a table for screen readers — and for anyone who asks to see it.
 */
export type DayUsage = { day: string; calls: number; amountMinor: number };

const WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 8, bottom: 26, left: 8 };

export function UsageChart({ days, currency }: { days: readonly DayUsage[]; currency: string }) {
  const [showTable, setShowTable] = useState(false);
  const highest = days.reduce((best, day) => (day.amountMinor > (best?.amountMinor ?? -1) ? day : best), days[0]);
  const max = Math.max(1, highest?.amountMinor ?? 0);
  const total = days.reduce((sum, day) => sum + day.amountMinor, 0);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.7);
  const labelled = new Set([0, Math.floor((days.length - 1) / 2), days.length - 1]);
  const summary =
    days.length === 0
      ? 'No days in this range.'
      : `Charges per day from ${days[0]!.day} to ${days[days.length - 1]!.day}: ${formatMinor(total, currency)} in all` +
        (highest && highest.amountMinor > 0 ? `, the most on ${highest.day} (${formatMinor(highest.amountMinor, currency)}).` : '.');

  return (
    <figure class="panel" aria-labelledby="usage-chart-caption">
      <figcaption id="usage-chart-caption">
        <h2>Usage by day</h2>
      </figcaption>
      <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} data-testid="usage-chart">
        <line class="chart-axis" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={HEIGHT - MARGIN.bottom} y2={HEIGHT - MARGIN.bottom} />
        {days.map((day, index) => {
          const height = Math.round((day.amountMinor / max) * plotHeight);
          const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
          return (
            <g key={day.day}>
              <rect class="chart-bar" x={x} y={HEIGHT - MARGIN.bottom - height} width={barWidth} height={height}>
                <title>{`${day.day}: ${formatMinor(day.amountMinor, currency)}, ${day.calls} calls`}</title>
              </rect>
              {labelled.has(index) ? (
                <text class="chart-label" x={x + barWidth / 2} y={HEIGHT - 8} text-anchor="middle">
                  {day.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
        <text class="chart-label" x={MARGIN.left} y={MARGIN.top - 2}>
          {formatMinor(highest?.amountMinor ?? 0, currency)}
        </text>
      </svg>
      <p class="muted">{summary}</p>
      <button type="button" aria-expanded={showTable} aria-controls="usage-by-day" onClick={() => setShowTable(!showTable)}>
        {showTable ? 'Hide the table' : 'Show as a table'}
      </button>
      <div id="usage-by-day" class={showTable ? 'table-wrap' : 'visually-hidden'}>
        <table>
          <caption class="visually-hidden">Charges by day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Calls</th>
              <th scope="col">Charged</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <td>{day.day}</td>
                <td>{day.calls}</td>
                <td>{formatMinor(day.amountMinor, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
