/** Previous / next for a paged list; the API's pagination block gives the page and the total. */
export type PageInfo = { page: number; total_pages?: number; total?: number; per_page?: number };

export function Pagination({ info, onPage, label = 'Pages' }: { info: PageInfo | undefined; onPage: (page: number) => void; label?: string }) {
  if (!info) return null;
  const last = Math.max(1, info.total_pages ?? info.page);
  return (
    <nav class="pagination" aria-label={label}>
      <button type="button" disabled={info.page <= 1} onClick={() => onPage(info.page - 1)}>
        Previous
      </button>
      <span>
        Page {info.page} of {last}
        {info.total !== undefined ? ` · ${info.total} in all` : ''}
      </span>
      <button type="button" disabled={info.page >= last} onClick={() => onPage(info.page + 1)}>
        Next
      </button>
    </nav>
  );
}
