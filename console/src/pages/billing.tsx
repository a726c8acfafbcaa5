import { useRef } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { Pagination, type PageInfo } from '../components/pagination.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { UsageChart, type DayUsage } from '../components/usage-chart.tsx';
import { formatMoney, formatTime, type Money } from '../format/values.ts';
import { useLiveEvents } from '../hooks/use-live-events.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { DataTable } from './parts/data-table.tsx';
import '../operations.css';

/**
 * /billing: the balance (refreshed live on the account's wallet events), charges per day as a
 * chart, and the charges themselves in a date range, paginated. The range lives in the address.
 */
type Balance = {
  balance: Money;
  available: Money;
  reserved: Money;
  currency: string;
  low_balance: boolean;
  low_balance_threshold: Money | null;
  totals: { deposited: Money; charged: Money; adjusted: Money; calls_charged: number };
  rate_plan: { id: string; name: string; version: number } | null;
};

type Charge = {
  call_id: string;
  amount: Money;
  charged_at: string;
  destination: string;
  outcome: string;
  rate: { plan_id: string; plan_version: number; prefix: string; rate_per_minute: Money; billing_increment: string };
  computation: { billed_seconds: number; formula: string };
};

type Usage = { data: Charge[]; totals: { calls: number; amount: Money; billed_seconds: number }; pagination: PageInfo };

type DailyAnswer = { data?: Record<string, unknown>[]; days?: Record<string, unknown>[]; currency?: string };

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The range shown unless the address says otherwise: the last 30 days, in UTC like the API's dates. */
function rangeOf(search: URLSearchParams, now = Date.now()): { from: string; to: string } {
  return { from: search.get('from') ?? isoDay(now - (DEFAULT_DAYS - 1) * DAY_MS), to: search.get('to') ?? isoDay(now) };
}

const minorOf = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof (value as Money).amount_minor === 'number') return (value as Money).amount_minor!;
  return 0;
};

/** One row per day of the range, days without charges at zero, whatever order the API gave. */
function daysOf(answer: DailyAnswer, range: { from: string; to: string }): DayUsage[] {
  const byDay = new Map<string, DayUsage>();
  for (const row of answer.data ?? answer.days ?? []) {
    const day = String(row.date ?? row.day ?? '').slice(0, 10);
    if (!day) continue;
    byDay.set(day, { day, calls: Number(row.calls ?? row.count ?? 0), amountMinor: minorOf(row.amount ?? row.amount_minor) });
  }
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const end = Date.parse(`${range.to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > 366 * DAY_MS) return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  const days: DayUsage[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) days.push(byDay.get(isoDay(ms)) ?? { day: isoDay(ms), calls: 0, amountMinor: 0 });
  return days;
}

function BalanceStats({ balance }: { balance: Balance }) {
  return (
    <>
      {balance.low_balance ? (
        <p class="notice notice-error" role="alert">
          The balance is below the low-balance threshold ({formatMoney(balance.low_balance_threshold)}). Calls may be refused until a payment is recorded.
        </p>
      ) : null}
      <dl class="stats" aria-label="Balance">
        <div class="stat">
          <dt>Balance</dt>
          <dd data-testid="balance-amount">{formatMoney(balance.balance)}</dd>
        </div>
        <div class="stat">
          <dt>Available</dt>
          <dd>{formatMoney(balance.available)}</dd>
        </div>
        <div class="stat">
          <dt>Reserved for calls in progress</dt>
          <dd>{formatMoney(balance.reserved)}</dd>
        </div>
        <div class="stat">
          <dt>Paid in</dt>
          <dd>{formatMoney(balance.totals.deposited)}</dd>
        </div>
        <div class="stat">
          <dt>Charged</dt>
          <dd>{formatMoney(balance.totals.charged)}</dd>
        </div>
        <div class="stat">
          <dt>Rate plan</dt>
          <dd>{balance.rate_plan ? `${balance.rate_plan.name} v${balance.rate_plan.version}` : 'none assigned'}</dd>
        </div>
      </dl>
    </>
  );
}

function ChargesTable({ usage }: { usage: Usage }) {
  if (usage.data.length === 0) {
    return <EmptyState title="No charges in this range.">Charges appear here when calls end; widen the range or place a call.</EmptyState>;
  }
  return (
    <DataTable caption="Charges" headers={['Charged', 'Call', 'Destination', 'Outcome', 'Billed', 'Rate', 'Amount']}>
      {usage.data.map((charge) => (
        <tr key={charge.call_id}>
          <td>{formatTime(charge.charged_at)}</td>
          <td>
            <Link to={`/calls/${encodeURIComponent(charge.call_id)}`} class="mono" aria-label={`Call ${charge.call_id}`}>
              {charge.call_id.slice(0, 8)}
            </Link>
          </td>
          <td class="mono">{charge.destination}</td>
          <td>
            <StatusBadge status={charge.outcome} />
          </td>
          <td>{charge.computation.billed_seconds} s</td>
          <td>
            {formatMoney(charge.rate.rate_per_minute)}/min ({charge.rate.prefix}, {charge.rate.billing_increment})
            <div class="muted mono">{charge.computation.formula}</div>
          </td>
          <td>{formatMoney(charge.amount)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function BillingPage(_props: PageProps) {
  const { search } = useLocation();
  const range = rangeOf(search);
  const page = search.get('page') ?? '1';
  // The position of the last wallet event seen, so the refetch waits until the read model has it.
  const position = useRef<string | null>(null);
  const headers = () => (position.current ? { 'Calltrail-Position': position.current } : undefined);

  const balance = useResource((signal) => api<Balance>('/balance', { signal, headers: headers() }), []);
  const usage = useResource((signal) => api<Usage>('/credits/usage', { signal, headers: headers(), query: { from: range.from, to: range.to, page, per_page: 20 } }), [range.from, range.to, page]);
  const daily = useResource((signal) => api<DailyAnswer>('/credits/usage/daily', { signal, headers: headers(), query: { from: range.from, to: range.to } }), [range.from, range.to]);

  useLiveEvents(
    (event) => {
      position.current = event.position;
      void balance.reload();
      if (event.type === 'CallCharged') {
        void usage.reload();
        void daily.reload();
      }
    },
    (event) => event.subject.kind === 'balance',
  );

  const rangeIssues = usage.error instanceof ApiError ? usage.error.fieldIssues() : {};
  const currency = balance.value?.currency ?? daily.value?.currency ?? '';

  return (
    <Page title="Balance and usage">
      <ErrorNotice error={balance.error} />
      {balance.value ? <BalanceStats balance={balance.value} /> : balance.loading ? <p class="muted">Loading the balance…</p> : null}

      <form class="filters" aria-label="Date range" onSubmit={(event) => event.preventDefault()}>
        <Field id="usage-from" label="From" error={rangeIssues.from}>
          <input id="usage-from" type="date" value={range.from} onChange={(e) => setQuery({ from: e.currentTarget.value, page: null })} {...describedBy('usage-from', rangeIssues.from)} />
        </Field>
        <Field id="usage-to" label="To (inclusive)" error={rangeIssues.to}>
          <input id="usage-to" type="date" value={range.to} onChange={(e) => setQuery({ to: e.currentTarget.value, page: null })} {...describedBy('usage-to', rangeIssues.to)} />
        </Field>
      </form>

      {daily.error && !(daily.error instanceof ApiError && daily.error.fieldIssues().to) ? <ErrorNotice error={daily.error} /> : null}
      {daily.value ? <UsageChart days={daysOf(daily.value, range)} currency={currency} /> : null}

      <section aria-labelledby="charges-title">
        <h2 id="charges-title">Charges</h2>
        <ErrorNotice error={usage.error} />
        {usage.value ? (
          <>
            <p class="muted">
              {usage.value.totals.calls} charged calls, {usage.value.totals.billed_seconds} s billed, {formatMoney(usage.value.totals.amount)} in this range.
            </p>
            <ChargesTable usage={usage.value} />
            <Pagination info={usage.value.pagination} onPage={(next) => setQuery({ page: next })} label="Charge pages" />
          </>
        ) : null}
      </section>
    </Page>
  );
}
