import { Field, describedBy } from './field.tsx';

/**
 * The rates of a rate plan version, one row per destination prefix. Amounts are typed as whole
 * minor units and sent as integers; anything else is sent as typed so the API's own message for
 * that field (rates.N.field) shows next to it.
 */
export type RateDraft = { prefix: string; rate: string; increment: string; fee: string; description: string };

export const emptyRate = (): RateDraft => ({ prefix: '+', rate: '', increment: '60/60', fee: '', description: '' });

const integerOr = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

/** The request body's `rates` array for these rows. */
export function ratesBody(rows: readonly RateDraft[]): Record<string, unknown>[] {
  return rows.map((row) => ({
    prefix: row.prefix.trim(),
    rate_per_minute_minor: integerOr(row.rate),
    ...(row.increment.trim() ? { billing_increment: row.increment.trim() } : {}),
    ...(row.fee.trim() ? { connection_fee_minor: integerOr(row.fee) } : {}),
    ...(row.description.trim() ? { description: row.description.trim() } : {}),
  }));
}

export function RatesEditor({ idPrefix, rows, onChange, issues }: { idPrefix: string; rows: readonly RateDraft[]; onChange: (rows: RateDraft[]) => void; issues: Record<string, string> }) {
  const update = (index: number, change: Partial<RateDraft>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const input = (index: number, field: keyof RateDraft, apiField: string, label: string, hint?: string) => {
    const id = `${idPrefix}-${index}-${field}`;
    const error = issues[`rates.${index}.${apiField}`];
    return (
      <Field id={id} label={label} error={error} {...(hint ? { hint } : {})}>
        <input id={id} value={rows[index]![field]} onInput={(e) => update(index, { [field]: e.currentTarget.value })} {...describedBy(id, error, hint !== undefined)} />
      </Field>
    );
  };
  return (
    <fieldset class="rates">
      <legend>Rates</legend>
      {issues.rates ? (
        <p class="field-error" role="alert">
          {issues.rates}
        </p>
      ) : null}
      {rows.map((_row, index) => (
        <div class="rate-row" key={index} role="group" aria-label={`Rate ${index + 1}`}>
          <div class="form-grid">
            {input(index, 'prefix', 'prefix', 'Prefix', '"+" alone matches every number.')}
            {input(index, 'rate', 'rate_per_minute_minor', 'Per minute (minor units)')}
            {input(index, 'increment', 'billing_increment', 'Billing increment', 'Initial/subsequent seconds, e.g. 60/60.')}
            {input(index, 'fee', 'connection_fee_minor', 'Connection fee (minor units)')}
            {input(index, 'description', 'description', 'Description')}
          </div>
          {rows.length > 1 ? (
            <button type="button" class="danger" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove rate {index + 1}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, emptyRate()])}>
        Add a rate
      </button>
    </fieldset>
  );
}
