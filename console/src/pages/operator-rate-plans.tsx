import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { TextField } from '../components/text-field.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { RatesEditor, emptyRate, ratesBody, type RateDraft } from '../components/rates-editor.tsx';
import { formatMoney, formatTime, type Money } from '../format/values.ts';
import { useClientPages } from '../hooks/use-client-pages.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { DataTable } from './parts/data-table.tsx';
import { FormActions } from './parts/form-actions.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { useSubmit } from './parts/use-submit.ts';
import '../operations.css';

/** /operator/rate-plans: the plans, creating one, each plan's versions and adding a version (from now or later). */
type PlanSummary = { id: string; name: string; currency: string; latest_version: number; created_at: string };
type Rate = { rate_id: string; prefix: string; description: string | null; rate_per_minute: Money; billing_increment: string; connection_fee: Money; minimum_billable_seconds: number };
type Plan = PlanSummary & { versions: { version: number; effective_from: string; rates: Rate[] }[] };

function NewPlanForm({ onCreated }: { onCreated: (plan: Plan) => void }) {
  const [planId, setPlanId] = useState('');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('');
  const [rates, setRates] = useState<RateDraft[]>([emptyRate()]);

  const { error, busy, submit } = useSubmit(async () => {
    const plan = await api<Plan>('/rate-plans', { method: 'POST', body: { ...(planId.trim() ? { id: planId.trim() } : {}), name, currency: currency.trim(), rates: ratesBody(rates) } });
    setPlanId('');
    setName('');
    setRates([emptyRate()]);
    onCreated(plan);
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="new-plan-title">
      <h2 id="new-plan-title">Create a rate plan</h2>
      <div class="form-grid">
        <TextField id="plan-name" label="Name" value={name} onInput={setName} error={issues.name} />
        <TextField id="plan-currency" label="Currency" value={currency} onInput={setCurrency} error={issues.currency} hint="ISO 4217 in capitals, e.g. PKR." maxLength={3} />
        <TextField id="plan-id" label="Plan id (optional)" value={planId} onInput={setPlanId} error={issues.id ?? issues.plan_id} hint="Letters, digits, - or _; chosen for you when empty." />
      </div>
      <RatesEditor idPrefix="new-rate" rows={rates} onChange={setRates} issues={issues} />
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Creating…' : 'Create plan'} />
    </form>
  );
}

function NewVersionForm({ plan, onAdded }: { plan: Plan; onAdded: (plan: Plan) => void }) {
  const latest = plan.versions[plan.versions.length - 1];
  // Start from the latest version's rates: a revision usually changes a few of them.
  const [rates, setRates] = useState<RateDraft[]>(
    latest?.rates.map((rate) => ({
      prefix: rate.prefix,
      rate: String(rate.rate_per_minute.amount_minor ?? ''),
      increment: rate.billing_increment,
      fee: rate.connection_fee.amount_minor ? String(rate.connection_fee.amount_minor) : '',
      description: rate.description ?? '',
    })) ?? [emptyRate()],
  );
  const [from, setFrom] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    const effective = from ? { effective_from: new Date(from).toISOString() } : {};
    onAdded(await api<Plan>(`/rate-plans/${encodeURIComponent(plan.id)}/versions`, { method: 'POST', body: { rates: ratesBody(rates), ...effective } }));
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-version-title">
      <h3 id="new-version-title">Add version {plan.latest_version + 1}</h3>
      <TextField id="version-from" label="Effective from (optional)" value={from} onInput={setFrom} error={issues.effective_from} hint="Empty: from now. Your local time; never before the latest version." type="datetime-local" />
      <RatesEditor idPrefix="version-rate" rows={rates} onChange={setRates} issues={issues} />
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Adding…' : 'Add version'} />
    </form>
  );
}

function PlanDetail({ planId, onChanged }: { planId: string; onChanged: () => void }) {
  const plan = useResource((signal) => api<Plan>(`/rate-plans/${encodeURIComponent(planId)}`, { signal }), [planId]);
  const [adding, setAdding] = useState(false);
  if (plan.error) return <ErrorNotice error={plan.error} />;
  if (!plan.value) return <p class="muted">Loading the plan…</p>;
  const value = plan.value;
  return (
    <section class="panel" aria-labelledby="plan-detail-title">
      <h2 id="plan-detail-title">
        {value.name} <span class="muted mono">{value.id}</span>
      </h2>
      {[...value.versions].reverse().map((version) => (
        <div key={version.version}>
          <h3>
            Version {version.version} <span class="muted">from {formatTime(version.effective_from)}</span>
          </h3>
          <DataTable caption={`Rates of version ${version.version}`} headers={['Prefix', 'Per minute', 'Increment', 'Connection fee', 'Minimum', 'Description']}>
            {version.rates.map((rate) => (
              <tr key={rate.rate_id}>
                <td class="mono">{rate.prefix}</td>
                <td>{formatMoney(rate.rate_per_minute)}</td>
                <td>{rate.billing_increment}</td>
                <td>{formatMoney(rate.connection_fee)}</td>
                <td>{rate.minimum_billable_seconds} s</td>
                <td>{rate.description ?? <span class="muted">—</span>}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      ))}
      {adding ? (
        <NewVersionForm
          plan={value}
          onAdded={() => {
            setAdding(false);
            void plan.reload();
            onChanged();
          }}
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          Add a version
        </button>
      )}
    </section>
  );
}

export function OperatorRatePlansPage(_props: PageProps) {
  const plans = useResource((signal) => api<{ data: PlanSummary[] }>('/rate-plans', { signal }), []);
  const [shown, setShown] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { rows, info, setPage } = useClientPages(plans.value?.data);

  return (
    <Page title="Rate plans">
      {notice ? (
        <p class="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      <NewPlanForm
        onCreated={(plan) => {
          setNotice(`Rate plan “${plan.name}” (${plan.id}) was created.`);
          setShown(plan.id);
          void plans.reload();
        }}
      />
      <ErrorNotice error={plans.error} />
      {plans.value && plans.value.data.length === 0 ? <EmptyState title="No rate plans yet.">Create one above, then assign it to a tenant on the Tenants page.</EmptyState> : null}
      {rows.length > 0 ? (
        <DataTable caption="Rate plans" headers={['Name', 'Id', 'Currency', 'Latest version', 'Created', 'Versions']}>
          {rows.map((plan) => (
            <tr key={plan.id}>
              <td>{plan.name}</td>
              <td class="mono">{plan.id}</td>
              <td>{plan.currency}</td>
              <td>{plan.latest_version}</td>
              <td>{formatTime(plan.created_at)}</td>
              <td>
                <button type="button" aria-expanded={shown === plan.id} aria-label={`Versions of ${plan.name}`} onClick={() => setShown(shown === plan.id ? null : plan.id)}>
                  {shown === plan.id ? 'Hide' : 'Show'}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pagination info={info} onPage={setPage} label="Rate plan pages" />
      {shown ? <PlanDetail key={shown} planId={shown} onChanged={() => void plans.reload()} /> : null}
    </Page>
  );
}
