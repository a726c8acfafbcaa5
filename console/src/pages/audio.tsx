import '../calls/calls.css';
import { api } from '../api/client.ts';
import { AudioRow } from '../calls/audio-row.tsx';
import type { AudioView } from '../calls/audio-types.ts';
import { AudioUpload } from '../calls/audio-upload.tsx';
import type { Paged } from '../calls/types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Page } from '../components/page.tsx';
import { Pagination } from '../components/pagination.tsx';
import { positionHeader, useLiveRefresh } from '../hooks/use-live-refresh.ts';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { setQuery, useLocation } from '../router.ts';
import { useRef } from 'preact/hooks';

const PER_PAGE = 20;

export function AudioPage(_props: PageProps) {
  const { search } = useLocation();
  const page = Math.max(1, Number(search.get('page')) || 1);
  const position = useRef<string | null>(null);
  const files = useResource((signal) => api<Paged<AudioView>>('/audio', { query: { page, per_page: PER_PAGE }, signal, headers: positionHeader(position.current) }), [page]);
  // Another tab or an API client uploading or deleting shows up here too.
  useLiveRefresh(
    (event) => {
      position.current = event.position;
      return files.reload();
    },
    (event) => event.subject.kind === 'audio',
  );

  const rows = files.value?.data ?? [];
  return (
    <Page title="Audio library">
      <AudioUpload onUploaded={() => void files.reload()} />
      <ErrorNotice error={files.error} />
      {!files.value ? (
        files.error ? null : <p class="muted">Loading the library…</p>
      ) : rows.length === 0 ? (
        <EmptyState title="No audio yet.">Upload a WAV, MP3 or Ogg file above; calls and campaigns can then play it.</EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="audio-table">
              <caption class="visually-hidden">Audio files, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Length</th>
                  <th scope="col">Uploaded</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((file) => (
                  <AudioRow key={file.id} file={file} onDeleted={() => void files.reload()} />
                ))}
              </tbody>
            </table>
          </div>
          <Pagination info={files.value.pagination} onPage={(next) => setQuery({ page: next })} label="Pages of audio" />
        </>
      )}
    </Page>
  );
}
