import type { ComponentChildren } from 'preact';

/**
 * A list as a table: scrolls sideways on a narrow screen, is named for screen readers by its
 * caption, and has a header cell per column. The rows are the children.
 */
export function DataTable({ caption, columns, children }: { caption: string; columns: readonly string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
