import { send } from '../api/client.ts';

/** The file name the engine suggests in Content-Disposition, or the fallback. */
function fileNameOf(response: Response, fallback: string): string {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  return match?.[1] ?? fallback;
}

/**
 * Downloads an API file with the signed-in credentials (a plain link cannot send them): fetched,
 * wrapped in a blob: URL, saved through a temporary `<a download>`, and the URL revoked.
 */
export async function saveDownload(path: string, fallbackName: string): Promise<string> {
  const response = await send(path, { headers: { Accept: '*/*' } });
  const name = fileNameOf(response, fallbackName);
  const url = URL.createObjectURL(await response.blob());
  try {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = name;
    anchor.hidden = true;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } finally {
    // After the click has handed the blob to the download; revoking in the same task is safe in Chromium and Firefox.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return name;
}
