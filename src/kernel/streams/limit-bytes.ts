// Caps a streamed upload: passes bytes through until a limit, then fails the stream with KERNEL_REQUEST_TOO_LARGE.
import { Transform, type Readable } from 'node:stream';
import { kernelError } from '../errors.ts';

/** The capped stream a content-type parser hands to a route (routes check for it to know the body was streamed). */
export class CappedUpload extends Transform {}

/**
 * Wraps an incoming body. Fastify's bodyLimit does not apply to bodies handed over as streams, so
 * this enforces it. Past the limit the consumer gets the error while the rest of the upload is
 * read and discarded (destroying the request would also kill the 413 response). A client that
 * goes away mid-upload fails the stream too, so a consumer holding a transaction always ends.
 */
export function limitBytes(source: Readable, limit: number): CappedUpload {
  let bytes = 0;
  const capped = new CappedUpload({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes <= limit) return callback(null, chunk);
      source.unpipe(capped);
      source.resume();
      callback(kernelError('KERNEL_REQUEST_TOO_LARGE', { detail: `アップロードは${limit}バイト以下です。何も取り込んでいません` }));
    },
  });
  source.pipe(capped);
  // The consumer may start reading later (an import first opens its transaction): keep an early
  // failure on the stream (`capped.errored`) instead of letting it crash the process.
  capped.on('error', () => undefined);
  source.on('error', (error) => capped.destroy(error));
  source.on('close', () => {
    if (!source.readableEnded && !capped.destroyed) {
      capped.destroy(kernelError('KERNEL_REQUEST_INVALID', { detail: 'アップロードが途中で切断されました。何も取り込んでいません' }));
    }
  });
  return capped;
}
