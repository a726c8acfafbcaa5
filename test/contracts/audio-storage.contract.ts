import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { AudioStorage } from '../../src/adapters/audio-storage/port.ts';

/** What every AudioStorage must do; the local disk runs it now, an S3-compatible store later. */
export function audioStorageContract(name: string, make: () => Promise<AudioStorage>): void {
  describe(`audio storage contract: ${name}`, () => {
    async function localFile(storage: AudioStorage, content: string): Promise<string> {
      const dir = await storage.scratchDir();
      const path = join(dir, 'f');
      await writeFile(path, content);
      return path;
    }

    it('stores a file under a key, takes ownership of the local file, and reads it back', async () => {
      const storage = await make();
      const path = await localFile(storage, 'hello audio');
      await storage.put('tenant/audio-1/original', path);
      await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
      const opened = await storage.open('tenant/audio-1/original');
      expect(opened?.sizeBytes).toBe(11);
      expect(await text(opened!.body)).toBe('hello audio');
    });

    it('answers null for a missing key and deletes idempotently', async () => {
      const storage = await make();
      expect(await storage.open('tenant/none/original')).toBeNull();
      const path = await localFile(storage, 'x');
      await storage.put('tenant/audio-2/original', path);
      await storage.delete('tenant/audio-2/original');
      await storage.delete('tenant/audio-2/original');
      expect(await storage.open('tenant/audio-2/original')).toBeNull();
    });

    it.each(['../escape', '/absolute', 'a/../../b', 'a//b', 'a/.hidden', ''])('refuses the key %j', async (key) => {
      const storage = await make();
      const path = await localFile(storage, 'x');
      await expect(storage.put(key, path)).rejects.toThrow(/invalid storage key/);
    });

    it('gives a fresh, empty scratch folder each time', async () => {
      const storage = await make();
      const a = await storage.scratchDir();
      const b = await storage.scratchDir();
      expect(a).not.toBe(b);
      expect(await readdir(a)).toEqual([]);
    });
  });
}

export const tempRoot = (prefix: string): Promise<string> => mkdtemp(join(process.env.TMPDIR ?? '/tmp', prefix));
