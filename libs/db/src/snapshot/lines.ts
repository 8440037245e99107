import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { SnapshotError } from './errors.js';

/**
 * The lines of a gzip file, decompressed as they are read. A damaged or cut
 * file fails here (zlib checks the stream and its trailer) as SNAPSHOT_CORRUPT.
 */
export async function* gzipLines(path: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const source = createReadStream(path);
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip).setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      yield* parts;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw error;
    throw new SnapshotError('SNAPSHOT_CORRUPT', `the file is damaged or cut short (${(error as Error).message}); take the export again or use an older backup.`, { cause: error });
  } finally {
    source.destroy();
  }
  if (rest !== '') yield rest;
}
