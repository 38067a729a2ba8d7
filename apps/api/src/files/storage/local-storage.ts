import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { assertStorageKey, ByteRange, FileStorage, StoredObject } from './file-storage';
import { pipeToNewFile } from './new-file';

/**
 * Files on the local disk under `root` (DATA_DIR/files), one per key. A put writes to a
 * temporary name beside the target and renames it into place, so a reader never sees half a
 * file and a failed write leaves nothing. Keys are checked, and the path they make must stay
 * under the root.
 */
export class LocalFileStorage implements FileStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: Readable): Promise<number> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeToNewFile(temporary, body, count);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return size;
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const path = this.pathOf(key);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (range) return { stream: createReadStream(path, { start: range.start, end: range.end }), length: range.end - range.start + 1 };
    return { stream: createReadStream(path), length: size };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    const path = resolve(this.root, key);
    const inside = relative(this.root, path);
    if (!inside || inside.startsWith('..') || inside.includes(`..${sep}`) || resolve(this.root, inside) !== path) {
      throw new Error(`Storage key leaves the root: ${JSON.stringify(key)}`);
    }
    return path;
  }
}
