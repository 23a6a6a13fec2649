import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { BadRequestError } from '../common/errors/chat-errors.js';

/** The one file of an upload request, as it streams in. */
export interface IncomingFile {
  /** The file name the client gave, unsanitized. */
  filename: string | undefined;
  content: Readable;
}

/**
 * Streams the multipart field `file` of `request` to `consume`, and resolves with what consume
 * resolved with; nothing is buffered beyond the stream's own chunks. Other fields and files are
 * skipped. A request cut off by the client fails `content` (so storage keeps nothing).
 */
export function receiveFile<T>(
  request: IncomingMessage,
  consume: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Names arrive as UTF-8 from every current browser; busboy's default would read them as Latin-1.
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
      });
    } catch {
      reject(new BadRequestError('send the file as multipart/form-data, in the field "file"'));
      return;
    }
    let started = false;
    let content: Readable | undefined;
    const cutOff = () => {
      if (!request.complete) content?.destroy(new BadRequestError('the upload was cut off before its end'));
    };
    request.once('close', cutOff);
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || started) {
        stream.resume();
        return;
      }
      started = true;
      content = stream;
      consume({ filename: info.filename, content: stream }).then(resolve, reject);
    });
    parser.on('error', (error) => {
      const failure = new BadRequestError(`the multipart body is malformed: ${(error as Error).message}`);
      content?.destroy(failure);
      reject(failure);
    });
    parser.on('close', () => {
      if (!started) reject(new BadRequestError('no file: send it in the multipart field "file"'));
    });
    request.pipe(parser);
  });
}
