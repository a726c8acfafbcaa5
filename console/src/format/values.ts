/** How the console writes money, times and durations. Money arrives as integer minor units. */
export type Money = { amount_minor?: number; minor?: number; amount?: string | number; currency: string };

const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3, OMR: 3, TND: 3 };

/** Minor units to text without floating-point arithmetic: 12345 USD → "USD 123.45". */
export function formatMinor(minor: number, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const negative = minor < 0;
  const text = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '−' : ''}${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  const minor = money.amount_minor ?? money.minor;
  if (typeof minor === 'number') return formatMinor(minor, money.currency);
  return money.amount !== undefined ? `${money.currency} ${money.amount}` : '—';
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
}

export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? '—' : `${Math.round(fraction * 1000) / 10} %`;
}
