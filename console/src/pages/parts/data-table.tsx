import type { ComponentChildren } from 'preact';

/** A table in its own scrolling frame (so a narrow screen scrolls the table, not the page), with column headers. */
export function DataTable({ headers, caption, children }: { headers: readonly string[]; caption?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
