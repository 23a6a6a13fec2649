import { deflateRawSync, deflateSync, crc32 } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import sharp from 'sharp';

/** A real PNG of that size (a gradient-free solid colour), made by sharp. */
export function pngOf(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header says width x height (e.g.
 * 100000 x 100000 grey pixels, 10 GB decoded). Its pixel data is one compressed row.
 */
export function bombPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A ZIP archive of one deflated entry: `inflated` zero bytes (a zip bomb when large: 64 MiB of
 * zeros is 64 KB here). Built by hand so the test needs no archiver.
 */
export function zipOfZeros(name: string, inflated: number): Buffer {
  const content = Buffer.alloc(inflated);
  const packed = deflateRawSync(content, { level: 9 });
  const crc = crc32(content);
  const fileName = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(inflated, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(inflated, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, packed, central, fileName, end]);
}

/** Every file under DATA_DIR/uploads (the partial-upload directory included). */
export function filesOnDisk(dataDir: string): string[] {
  const root = join(dataDir, 'uploads');
  const list = (dir: string, prefix: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((entry) =>
      entry.isDirectory()
        ? list(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
  };
  return list(root, '');
}

/** Polls `check` until it is true (state on disk has no event to await); fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface StreamingUpload {
  /** The server's answer (status and body), whenever it comes. */
  response: Promise<{ status: number; body: string }>;
  /** Bytes of the file written so far. */
  written(): number;
  request: http.ClientRequest;
}

/**
 * A multipart upload of `total` bytes written 64 KiB at a time (chunked: no Content-Length,
 * unless `declaredLength` is given), as long as the server lets it. `stopAfter`: stop writing
 * after that many bytes and hang up (a client that goes away mid-upload).
 */
export function streamUpload(
  port: number,
  token: string,
  options: { total: number; name?: string; declaredLength?: number; stopAfter?: number },
): StreamingUpload {
  const boundary = '----test-boundary-7c1f';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.name ?? 'big.txt'}"\r\n` +
      `Content-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers: http.OutgoingHttpHeaders = {
    Authorization: `Bearer ${token}`,
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
  };
  if (options.declaredLength !== undefined) headers['Content-Length'] = String(options.declaredLength);
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/uploads', headers });
  let written = 0;
  let answered = false;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (data: string) => (body += data));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    request.on('error', (error) => {
      if (!answered && options.stopAfter === undefined) reject(error);
    });
  });
  const piece = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (!answered && !request.destroyed) {
      if (options.stopAfter !== undefined && written >= options.stopAfter) {
        request.destroy();
        return;
      }
      if (written >= options.total) {
        request.end(tail);
        return;
      }
      written += piece.length;
      if (!request.write(piece)) {
        request.once('drain', pump);
        return;
      }
    }
  };
  request.write(head);
  pump();
  return { response, written: () => written, request };
}
