import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import FormData from 'form-data';
import { FileErrorCode } from '@parley/contracts';
import { receiveFiles } from './multipart-upload';

function body(files: { name: string; bytes: Buffer; field?: string }[]) {
  const form = new FormData();
  for (const file of files) form.append(file.field ?? 'file', file.bytes, { filename: file.name });
  const request = Object.assign(new PassThrough(), { headers: form.getHeaders() as Record<string, string> });
  return { request, bytes: form.getBuffer() };
}

describe('receiveFiles', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'parley-upload-'));

  it('streams each file to a temporary file with its size and SHA-256', async () => {
    const dir = tmp();
    const { request, bytes } = body([
      { name: 'a.txt', bytes: Buffer.from('hello') },
      { name: 'b.bin', bytes: Buffer.alloc(1000, 7) },
    ]);
    const received = receiveFiles(request, { maxBytes: 10_000, maxFiles: 10, quotaLeft: null, tmpDir: dir });
    request.end(bytes);
    const files = await received;
    expect(files.map((f) => [f.clientName, f.size])).toEqual([
      ['a.txt', 5],
      ['b.bin', 1000],
    ]);
    expect(files[0].sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it.each([
    ['more files than allowed', Array.from({ length: 11 }, (_, i) => ({ name: `${i}`, bytes: Buffer.alloc(10, 1) })), FileErrorCode.UploadInvalid],
    ['more bytes than allowed', [{ name: 'big', bytes: Buffer.alloc(20_000, 1) }], FileErrorCode.TooLarge],
    ['more bytes than the quota has left', [{ name: 'a', bytes: Buffer.alloc(600, 1) }, { name: 'b', bytes: Buffer.alloc(600, 1) }], FileErrorCode.QuotaExceeded],
    ['a file in another field', [{ name: 'a', bytes: Buffer.alloc(6, 1), field: 'avatar' }], FileErrorCode.UploadInvalid],
    ['an empty file', [{ name: 'a', bytes: Buffer.alloc(0) }], FileErrorCode.UploadInvalid],
  ])('refuses %s and leaves nothing behind', async (_name, files, code) => {
    const dir = tmp();
    const { request, bytes } = body(files);
    const received = receiveFiles(request, { maxBytes: 10_000, maxFiles: 10, quotaLeft: 1000, tmpDir: dir });
    request.end(bytes);
    await expect(received).rejects.toMatchObject({ code });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a body cut off in the middle', async () => {
    const dir = tmp();
    const { request, bytes } = body([{ name: 'a', bytes: Buffer.alloc(5000, 1) }]);
    const received = receiveFiles(request, { maxBytes: 10_000, maxFiles: 10, quotaLeft: null, tmpDir: dir });
    request.end(bytes.subarray(0, 3000));
    await expect(received).rejects.toMatchObject({ code: FileErrorCode.UploadInvalid });
    expect(readdirSync(dir)).toEqual([]);
  });
});
