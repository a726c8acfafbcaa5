import { useEffect, useState } from 'preact/hooks';
import type { PageInfo } from '../components/pagination.tsx';

/**
 * Pages for a list the API answers whole (API keys, users, accounts, rate plans are small and
 * unpaginated there), so the page still shows at most `perPage` rows with the usual pagination.
 */
export function useClientPages<T>(items: readonly T[] | undefined, perPage = 20): { rows: readonly T[]; info: PageInfo | undefined; setPage: (page: number) => void } {
  const [page, setPage] = useState(1);
  const total = items?.length ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  // A list that shrank (a revoked or removed row) must not leave us past its end.
  useEffect(() => {
    if (page > lastPage) setPage(lastPage);
  }, [page, lastPage]);
  const current = Math.min(page, lastPage);
  const rows = items ? items.slice((current - 1) * perPage, current * perPage) : [];
  const info = items ? { page: current, per_page: perPage, total, total_pages: lastPage } : undefined;
  return { rows, info, setPage };
}
