/** Minor units as a decimal string in the currency's usual two decimals, e.g. 12345 → "123.45". */
export function minorToText(amountMinor: number, currency: string | null): string {
  const negative = amountMinor < 0;
  const abs = Math.abs(amountMinor);
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${currency ? `${currency} ` : ''}${whole}.${cents}`;
}
