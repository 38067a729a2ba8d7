import { createHash } from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import sharp from 'sharp';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** supertest's parser for binary answers: the body as one Buffer, whatever the Content-Type. */
export function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const response = res as unknown as http.IncomingMessage;
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
  response.on('error', (error) => done(error, Buffer.alloc(0)));
}

/** GETs `path` with the bearer token and the body as a Buffer. */
export function download(baseUrl: string, token: string, path: string) {
  return request(baseUrl).get(path).auth(token, { type: 'bearer' }).buffer(true).parse(binary);
}

/** A solid-colour PNG of width × height. */
export function png(width = 40, height = 20, background = '#c00'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

/** A JPEG that says where it was taken (EXIF GPS) and who made it, with an EXIF orientation. */
export function jpegWithGps(width: number, height: number, orientation = 1): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#08f' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Spyphone', Model: 'Tracker 3000' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

/** An animated GIF of `frames` frames of 20 × 20. */
export async function animatedGif(frames = 3): Promise<Buffer> {
  const colours = ['#f00', '#0f0', '#00f', '#ff0'];
  const pages = await Promise.all(
    Array.from({ length: frames }, (_, i) => sharp({ create: { width: 20, height: 20, channels: 3, background: colours[i % colours.length] } }).png().toBuffer()),
  );
  return sharp(pages, { join: { animated: true } }).gif({ delay: pages.map(() => 100), loop: 0 }).toBuffer();
}

/**
 * Whether an EXIF block (as sharp's metadata().exif gives it: `Exif\0\0` and a TIFF structure)
 * has a GPS IFD: tag 0x8825 among the entries of IFD0.
 */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** What a raw request got back before it finished sending: its status, headers and body. */
export interface EarlyAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Bytes of the body the client had written when the answer came. */
  sentBytes: number;
}

/**
 * POSTs a multipart upload by hand, writing `chunks` of the file part one by one (as a slow
 * client would) and never the end unless the server lets it, and resolves with the answer as soon
 * as it arrives: a server that waits for the whole body never answers, and the test times out.
 * `contentLength` sends that header (a declared size) instead of chunked transfer encoding.
 */
export function uploadSlowly(
  url: string,
  token: string,
  options: { chunkBytes: number; chunks: number; contentLength?: number; pauseMs?: number },
): Promise<EarlyAnswer> {
  const boundary = `----parley${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(options.contentLength !== undefined ? { 'Content-Length': String(options.contentLength) } : { 'Transfer-Encoding': 'chunked' }),
      },
    });
    req.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), sentBytes: sent });
        req.destroy();
      });
    });
    // The server may close the connection once it has answered: not this test's failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const write = (i: number) => {
      if (answered || i >= options.chunks) return;
      const chunk = i === 0 ? Buffer.concat([head, Buffer.alloc(options.chunkBytes, 0x61)]) : Buffer.alloc(options.chunkBytes, 0x61);
      req.write(chunk, () => {
        sent += chunk.length;
        setTimeout(() => write(i + 1), options.pauseMs ?? 5);
      });
    };
    write(0);
  });
}
