import type { ComponentChildren } from 'preact';
import { formatMoney, type Money } from '../format/values.ts';

/**
 * Any JSON report (health, verify, audit) shown for people: objects as labelled lists, lists of
 * records as tables, money as money, `ok` flags as words. The operator routes' reports grow new
 * fields over time; this shows them all without the page having to know each one.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isRecord = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isMoney = (value: unknown): value is Money => isRecord(value) && typeof value.currency === 'string' && typeof value.amount_minor === 'number';

/** A pass/fail flag as a word with a colour (the word carries the meaning). */
export function OkBadge({ ok, good = 'OK', bad = 'FAILING' }: { ok: boolean; good?: string; bad?: string }) {
  return <span class={`badge ${ok ? 'badge-good' : 'badge-bad'}`}>{ok ? good : bad}</span>;
}

function Scalar({ name, value }: { name: string; value: Json }) {
  if (value === null) return <span class="muted">—</span>;
  if (typeof value === 'boolean') {
    if (name === 'ok' || name === 'healthy' || name === 'ready') return <OkBadge ok={value} />;
    return <>{value ? 'yes' : 'no'}</>;
  }
  if (typeof value === 'string' && /^(ok|up|ready|healthy|MATCH)$/i.test(value)) return <span class="badge badge-good">{value}</span>;
  if (typeof value === 'string' && /^(down|failing|unavailable|broken|MISMATCH|error)$/i.test(value)) return <span class="badge badge-bad">{value}</span>;
  return <>{String(value)}</>;
}

export function ReportValue({ name = '', value }: { name?: string; value: Json | undefined }): ComponentChildren {
  if (value === undefined) return null;
  if (isMoney(value)) return <>{formatMoney(value)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every(isRecord)) return <RecordTable rows={value as Record<string, Json>[]} label={labelOf(name)} />;
    return (
      <ul>
        {value.map((item, index) => (
          <li key={index}>
            <ReportValue name={name} value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (isRecord(value)) {
    // Things keyed by name (components, nodes, projections) read best as one table, a row each.
    const children = Object.entries(value);
    if (children.length > 0 && children.every(([, child]) => isRecord(child) && !isMoney(child))) {
      return <RecordTable rows={children.map(([key, child]) => ({ name: key, ...(child as Record<string, Json>) }))} label={labelOf(name)} />;
    }
    return <ReportList value={value} />;
  }
  return <Scalar name={name} value={value} />;
}

export function ReportList({ value }: { value: Record<string, Json> }) {
  return (
    <dl>
      {Object.entries(value).map(([key, item]) => (
        <div key={key} class="report-entry">
          <dt>{labelOf(key)}</dt>
          <dd>
            <ReportValue name={key} value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function RecordTable({ rows, label }: { rows: Record<string, Json>[]; label: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{label}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {labelOf(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>
                  <ReportValue name={column} value={row[column]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A report's sections: its plain fields together as a summary, then each nested field under its own heading. */
export function ReportSections({ report, skip = [], summaryTitle = 'Summary' }: { report: Record<string, Json>; skip?: readonly string[]; summaryTitle?: string }) {
  const entries = Object.entries(report).filter(([key]) => !skip.includes(key));
  const nested = (value: Json) => typeof value === 'object' && value !== null && !isMoney(value);
  const plain = Object.fromEntries(entries.filter(([, value]) => !nested(value)));
  return (
    <div class="report">
      {Object.keys(plain).length > 0 ? (
        <section class="panel" aria-label={summaryTitle}>
          <h2>{summaryTitle}</h2>
          <ReportList value={plain} />
        </section>
      ) : null}
      {entries
        .filter(([, value]) => nested(value))
        .map(([key, value]) => (
          <section key={key} class="panel" aria-label={labelOf(key)}>
            <h2>{labelOf(key)}</h2>
            <ReportValue name={key} value={value} />
          </section>
        ))}
    </div>
  );
}

export type { Json };
