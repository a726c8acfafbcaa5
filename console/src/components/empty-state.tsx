import type { ComponentChildren } from 'preact';

/** What an empty list says: what it would hold, and what to do to fill it. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty-state" role="status">
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-hint">{children}</div> : null}
    </div>
  );
}
