import { authorizationHeader, urlOf } from './client.ts';
import { ApiError, NetworkError } from './errors.ts';

/** A multipart POST that reports upload progress (fetch cannot), for audio and CSV files. */
export async function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void, query?: Record<string, string>): Promise<T> {
  const headers = await authorizationHeader();
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', urlOf(path, query));
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new NetworkError('The upload did not reach the engine'));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        body = null;
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body as T);
        return;
      }
      const error = (body as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null)?.error;
      reject(new ApiError(request.status, error?.code ?? `HTTP_${request.status}`, error?.message ?? 'Upload failed', error?.details ?? {}));
    };
    request.send(form);
  });
}
