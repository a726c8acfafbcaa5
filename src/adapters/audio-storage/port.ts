import type { Readable } from 'node:stream';

/**
 * Where audio files live once they are accepted. Keys are opaque paths made of safe segments
 * (`<tenant>/<audio>/<name>`); the local-disk store maps them under a folder, an S3-compatible
 * store would map them to object keys.
 */
export interface AudioStorage {
  /**
   * Takes ownership of a finished local file and stores it under `key`. Atomic: a reader sees the
   * whole file or nothing, and a failure leaves nothing behind under `key`.
   */
  put(key: string, localFile: string): Promise<void>;
  /** The stored bytes, or null when the key holds nothing. */
  open(key: string): Promise<{ body: Readable; sizeBytes: number } | null>;
  /** Removes a key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A private local folder for work in progress (uploads being received and transcoded). The
   * caller removes what it creates there.
   */
  scratchDir(): Promise<string>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Refuses keys that could escape the store (`..`, absolute paths, odd characters). */
export function checkStorageKey(key: string): string[] {
  const segments = key.split('/');
  if (segments.length === 0 || segments.some((segment) => !SEGMENT.test(segment) || segment.includes('..'))) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
  return segments;
}
