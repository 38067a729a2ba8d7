import { createWriteStream, WriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Pipes `source` through `transforms` into a new file at `path` (mode 0600, never over an existing
 * one), settling only once the file is closed. A pipeline alone can reject before its file is even
 * opened: a removal made then runs first, and the file appears after it, left behind for good.
 */
export async function pipeToNewFile(path: string, source: Readable, ...transforms: Transform[]): Promise<void> {
  const sink = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline([source, ...transforms, sink]);
  } finally {
    await closed(sink);
  }
}

const closed = (sink: WriteStream) => new Promise<void>((resolve) => (sink.closed ? resolve() : sink.once('close', () => resolve())));
