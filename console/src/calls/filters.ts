/**
 * The calls list's filters as they live in the address (?status=&from=&to=&campaign=&number=&page=)
 * and as the API wants them. Dates in the address are the user's calendar days; the API takes
 * instants on the created time with `to` exclusive, so "to 3 Dec" means before 4 Dec, local time.
 */
export type CallFilters = { status: string; from: string; to: string; campaign: string; number: string; page: number };

export const FILTER_NAMES = ['status', 'from', 'to', 'campaign', 'number'] as const;

export function filtersOf(search: URLSearchParams): CallFilters {
  const page = Number(search.get('page') ?? '1');
  return {
    status: search.get('status') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
    campaign: search.get('campaign') ?? '',
    number: search.get('number') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export const hasFilters = (filters: CallFilters): boolean => FILTER_NAMES.some((name) => filters[name] !== '');

/** Local midnight of a yyyy-mm-dd day, `days` later, as an ISO instant; the text itself when it is no such day (the API then names it). */
function dayStart(day: string, days = 0): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

export function apiQueryOf(filters: CallFilters, perPage: number): Record<string, string | number | undefined> {
  return {
    page: filters.page,
    per_page: perPage,
    status: filters.status || undefined,
    from: filters.from ? dayStart(filters.from) : undefined,
    to: filters.to ? dayStart(filters.to, 1) : undefined,
    campaign_id: filters.campaign.trim() || undefined,
    // People type spaces and dashes; the API takes digits with an optional leading "+".
    phone: filters.number.replace(/[\s().-]/g, '') || undefined,
  };
}

/** The API's field name for each filter, to show its validation message beside the right input. */
export const API_FIELD: Record<(typeof FILTER_NAMES)[number], string> = { status: 'status', from: 'from', to: 'to', campaign: 'campaign_id', number: 'phone' };
