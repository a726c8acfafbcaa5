import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDiskAudioStorage } from '../../../src/adapters/audio-storage/local-disk.ts';
import { audioStorageContract, tempRoot } from '../../contracts/audio-storage.contract.ts';

audioStorageContract('local disk', async () => new LocalDiskAudioStorage(await tempRoot('calltrail-storage-')));

describe('local disk storage', () => {
  it('leaves no partial file behind when a put fails', async () => {
    const root = await tempRoot('calltrail-storage-');
    const storage = new LocalDiskAudioStorage(root);
    await expect(storage.put('tenant/a/original', join(root, 'does-not-exist'))).rejects.toThrow();
    expect(await readdir(join(root, 'files', 'tenant', 'a'))).toEqual([]);
  });
});
