import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { TextField } from '../components/text-field.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { ShownOnce } from '../components/shown-once.tsx';
import { formatMoney, formatTime, type Money } from '../format/values.ts';
import { useClientPages } from '../hooks/use-client-pages.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { DataTable } from './parts/data-table.tsx';
import { FormActions } from './parts/form-actions.tsx';
import { fieldErrorsOf } from './parts/field-errors.ts';
import { useSubmit } from './parts/use-submit.ts';
import '../operations.css';

/**
 * /operator/tenants: every account, opening a new one (its owner key shown once), recording a
 * payment received and assigning a rate plan. The API has no operator read of a tenant's balance,
 * so the page shows the balance each payment or assignment answered with, and says so.
 */
type Account = { id: string; name: string; default_country: string; currency: string; time_zone: string; plan: { name: string }; created_at: string };
type Opened = Account & { api_key: { key: string; prefix: string }; owner: { email: string } | null };
type BalanceAnswer = { account_id: string; balance: Money; available: Money; rate_plan: { name: string; version: number } | null };
type AssignAnswer = { account_id: string; plan_id: string; current_rate_plan: { name: string; version: number } | null };
type RatePlan = { id: string; name: string; currency: string; latest_version: number };

type Action = { kind: 'payment' | 'plan'; account: Account } | null;

function NewTenantForm({ onOpened }: { onOpened: (opened: Opened) => void }) {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [currency, setCurrency] = useState('');
  const [timeZone, setTimeZone] = useState('UTC');
  const [ownerEmail, setOwnerEmail] = useState('');
  const [ownerPassword, setOwnerPassword] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    const owner = ownerEmail || ownerPassword ? { owner: { email: ownerEmail, password: ownerPassword } } : {};
    const opened = await api<Opened>('/accounts', { method: 'POST', body: { name, default_country: country, currency, time_zone: timeZone, ...owner } });
    setName('');
    setOwnerEmail('');
    setOwnerPassword('');
    onOpened(opened);
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="new-tenant-title">
      <h2 id="new-tenant-title">Create a tenant</h2>
      <div class="form-grid">
        <TextField id="tenant-name" label="Name" value={name} onInput={setName} error={issues.name} />
        <TextField id="tenant-country" label="Default country" value={country} onInput={setCountry} error={issues.default_country} hint="Two letters, e.g. PK." maxLength={2} />
        <TextField id="tenant-currency" label="Currency" value={currency} onInput={setCurrency} error={issues.currency} hint="ISO 4217, e.g. PKR." maxLength={3} />
        <TextField id="tenant-time-zone" label="Time zone" value={timeZone} onInput={setTimeZone} error={issues.time_zone} hint="IANA name, e.g. Asia/Karachi." />
        <TextField id="tenant-owner-email" label="Owner's email (optional)" value={ownerEmail} onInput={setOwnerEmail} error={issues['owner.email']} hint="With a password, the owner can sign in." type="email" autoComplete="off" />
        <TextField id="tenant-owner-password" label="Owner's password (optional)" value={ownerPassword} onInput={setOwnerPassword} error={issues['owner.password']} type="password" autoComplete="new-password" />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Creating…' : 'Create tenant'} />
    </form>
  );
}

function PaymentForm({ account, onRecorded, onCancel }: { account: Account; onRecorded: (answer: BalanceAnswer & { recorded: boolean }) => void; onCancel: () => void }) {
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');

  const { error, busy, submit } = useSubmit(async () => {
    // The amount goes as the decimal text typed: the API turns it into minor units, no float on the way.
    const answer = await api<BalanceAnswer & { recorded: boolean }>('/credits/purchase', { method: 'POST', body: { account_id: account.id, amount: amount.trim(), currency: account.currency, reference } });
    onRecorded(answer);
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="payment-title">
      <h2 id="payment-title">Record a payment for {account.name}</h2>
      <div class="form-grid">
        <TextField id="payment-amount" label={`Amount (${account.currency})`} value={amount} onInput={setAmount} error={issues.amount ?? issues.amount_minor} hint="As received, e.g. 1500.00." inputMode="decimal" />
        <TextField id="payment-reference" label="Reference" value={reference} onInput={setReference} error={issues.reference} hint="The receipt or transfer reference; the same reference is recorded only once." />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Recording…' : 'Record payment'} onCancel={onCancel} />
    </form>
  );
}

function AssignPlanForm({ account, onAssigned, onCancel }: { account: Account; onAssigned: (answer: AssignAnswer) => void; onCancel: () => void }) {
  const plans = useResource((signal) => api<{ data: RatePlan[] }>('/rate-plans', { signal }), []);
  const [planId, setPlanId] = useState('');
  const [from, setFrom] = useState('');
  const usable = (plans.value?.data ?? []).filter((plan) => plan.currency === account.currency);

  const { error, busy, submit } = useSubmit(async () => {
    const effective = from ? { effective_from: new Date(from).toISOString() } : {};
    onAssigned(await api<AssignAnswer>(`/accounts/${encodeURIComponent(account.id)}/rate-plan`, { method: 'PUT', body: { plan_id: planId, ...effective } }));
  });
  const { issues } = fieldErrorsOf(error, []);

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="assign-title">
      <h2 id="assign-title">Assign a rate plan to {account.name}</h2>
      <ErrorNotice error={plans.error} />
      {plans.value && usable.length === 0 ? <EmptyState title={`No rate plan in ${account.currency} yet.`}>Create one on the Rate plans page first.</EmptyState> : null}
      <div class="form-grid">
        <Field id="assign-plan" label="Rate plan" error={issues.plan_id}>
          <select id="assign-plan" value={planId} onChange={(e) => setPlanId(e.currentTarget.value)} {...describedBy('assign-plan', issues.plan_id)}>
            <option value="">Choose a plan</option>
            {usable.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name} ({plan.id}, v{plan.latest_version})
              </option>
            ))}
          </select>
        </Field>
        <TextField id="assign-from" label="Effective from (optional)" value={from} onInput={setFrom} error={issues.effective_from} hint="Empty: from now. Your local time." type="datetime-local" />
      </div>
      <ErrorNotice error={error} />
      <FormActions busy={busy} submitLabel={busy ? 'Assigning…' : 'Assign plan'} onCancel={onCancel} />
    </form>
  );
}

export function OperatorTenantsPage(_props: PageProps) {
  const accounts = useResource((signal) => api<{ data: Account[] }>('/accounts', { signal }), []);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [action, setAction] = useState<Action>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Balances the API answered with after a payment or an assignment made on this page.
  const [balances, setBalances] = useState<Record<string, string>>({});
  const [plansNow, setPlansNow] = useState<Record<string, string>>({});
  const { rows, info, setPage } = useClientPages(accounts.value?.data);

  return (
    <Page title="Tenants">
      {opened ? (
        <ShownOnce
          label={`The owner API key of “${opened.name}” (account ${opened.id})`}
          secret={opened.api_key.key}
          onDismiss={() => setOpened(null)}
        />
      ) : null}
      {notice ? (
        <p class="notice notice-success" role="status" data-testid="tenants-notice">
          {notice}
        </p>
      ) : null}
      {action?.kind === 'payment' ? (
        <PaymentForm
          key={`payment-${action.account.id}`}
          account={action.account}
          onCancel={() => setAction(null)}
          onRecorded={(answer) => {
            setBalances({ ...balances, [answer.account_id]: formatMoney(answer.balance) });
            setNotice(`${answer.recorded ? 'Payment recorded' : 'This reference was already recorded'} for ${action.account.name}: the balance is now ${formatMoney(answer.balance)}.`);
            setAction(null);
          }}
        />
      ) : action?.kind === 'plan' ? (
        <AssignPlanForm
          key={`plan-${action.account.id}`}
          account={action.account}
          onCancel={() => setAction(null)}
          onAssigned={(answer) => {
            const plan = answer.current_rate_plan ? `${answer.current_rate_plan.name} v${answer.current_rate_plan.version}` : `${answer.plan_id} (from a later time)`;
            setPlansNow({ ...plansNow, [answer.account_id]: plan });
            setNotice(`${action.account.name} now rates calls with ${plan}.`);
            setAction(null);
          }}
        />
      ) : (
        <NewTenantForm
          onOpened={(account) => {
            setOpened(account);
            setNotice(null);
            void accounts.reload();
          }}
        />
      )}
      <ErrorNotice error={accounts.error} />
      <p class="muted">The API offers the operator no read of a tenant's balance; the balance shown is the one answered by a payment or plan change made here, and the tenant sees it on its Balance page.</p>
      {accounts.value && accounts.value.data.length === 0 ? <EmptyState title="No tenants yet.">Create the first one above; its owner key is shown once.</EmptyState> : null}
      {rows.length > 0 ? (
        <DataTable caption="Tenants" headers={['Name', 'Account id', 'Currency', 'Country · time zone', 'Rate plan', 'Balance', 'Created', 'Actions']}>
          {rows.map((account) => (
            <tr key={account.id} data-testid={`tenant-${account.id}`}>
              <td>{account.name}</td>
              <td class="mono">{account.id}</td>
              <td>{account.currency}</td>
              <td>
                {account.default_country} · {account.time_zone}
              </td>
              <td>{plansNow[account.id] ?? <span class="muted">—</span>}</td>
              <td>{balances[account.id] ?? <span class="muted">not readable here</span>}</td>
              <td>{formatTime(account.created_at)}</td>
              <td>
                <div class="row-actions">
                  <button type="button" aria-label={`Record a payment for ${account.name}`} onClick={() => setAction({ kind: 'payment', account })}>
                    Record payment
                  </button>
                  <button type="button" aria-label={`Assign a rate plan to ${account.name}`} onClick={() => setAction({ kind: 'plan', account })}>
                    Assign plan
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pagination info={info} onPage={setPage} label="Tenant pages" />
    </Page>
  );
}
