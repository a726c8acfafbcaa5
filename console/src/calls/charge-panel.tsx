import { formatMoney, formatSeconds, formatTime } from '../format/values.ts';
import type { ChargeView } from './detail-types.ts';

/** What the call cost and the arithmetic behind it, as billing recorded it. */
export function ChargePanel({ charge }: { charge: ChargeView | null | undefined }) {
  return (
    <section class="panel" aria-labelledby="charge-title">
      <h2 id="charge-title">Charge</h2>
      {charge === undefined ? (
        <p class="muted">Billing is not enabled on this engine.</p>
      ) : charge === null ? (
        <p class="muted">Not charged yet: a call is charged once it ends.</p>
      ) : (
        <>
          <dl class="facts" data-testid="call-charge">
            <dt>Amount</dt>
            <dd>
              <strong>{formatMoney(charge.amount)}</strong>
            </dd>
            <dt>Charged</dt>
            <dd>{formatTime(charge.charged_at)}</dd>
            <dt>Rate</dt>
            <dd>
              {charge.rate.rate_per_minute ? `${formatMoney(charge.rate.rate_per_minute)} per minute` : '—'}
              {charge.rate.prefix ? ` for ${charge.rate.prefix}…` : ''} (plan {charge.rate.plan_id} v{charge.rate.plan_version})
            </dd>
            <dt>Billable</dt>
            <dd>
              {charge.computation.billable_ms} ms → billed {formatSeconds(charge.computation.billed_seconds)} in {charge.computation.billing_increment} s increments
            </dd>
            <dt>Duration charge</dt>
            <dd>{formatMoney(charge.computation.duration_charge)}</dd>
            <dt>Connection fee</dt>
            <dd>{formatMoney(charge.computation.connection_fee)}</dd>
            {charge.computation.uncollected.amount_minor > 0 ? (
              <>
                <dt>Not covered</dt>
                <dd>{formatMoney(charge.computation.uncollected)}</dd>
              </>
            ) : null}
          </dl>
          <p class="mono" data-testid="charge-formula">
            {charge.computation.formula}
          </p>
          {charge.computation.rounding ? <p class="muted">{charge.computation.rounding}</p> : null}
        </>
      )}
    </section>
  );
}
