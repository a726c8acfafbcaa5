import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { checkStorageKey, type AudioStorage } from './port.ts';

/**
 * Audio on the local disk under one folder (default `<DATA_DIR>/audio`). Files are written to a
 * temporary name beside their final one and renamed into place, so a crash never leaves a
 * half-written file under a real key.
 */
export class LocalDiskAudioStorage implements AudioStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return join(this.root, 'files', ...checkStorageKey(key));
  }

  async put(key: string, localFile: string): Promise<void> {
    const target = this.pathOf(key);
    const dir = join(target, '..');
    await mkdir(dir, { recursive: true });
    const partial = `${target}.partial-${process.pid}-${Date.now().toString(36)}`;
    try {
      try {
        await rename(localFile, partial);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await copyFile(localFile, partial);
        await unlink(localFile);
      }
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<{ body: ReturnType<typeof createReadStream>; sizeBytes: number } | null> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      return { body: createReadStream(path), sizeBytes: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async scratchDir(): Promise<string> {
    const base = join(this.root, 'tmp');
    await mkdir(base, { recursive: true });
    return mkdtemp(join(base, 'work-'));
  }
}
