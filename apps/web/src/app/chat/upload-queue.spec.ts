import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { FileErrorCode, FILES_PER_MESSAGE_MAX } from '@parley/contracts';

import { storedFile } from './chat-test-fixtures';
import { progressText, UploadQueue, uploadErrorText } from './upload-queue';


const file = (name: string, bytes = 100, type = 'text/plain') => new File([new Uint8Array(bytes)], name, { type });

describe('UploadQueue', () => {
  let queue: UploadQueue;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), UploadQueue] });
    queue = TestBed.inject(UploadQueue);
    http = TestBed.inject(HttpTestingController);
    queue.setChannel('c');
  });

  afterEach(() => http.verify());

  it('uploads each file in its own multipart request (field "file") and follows its progress to done', () => {
    queue.add([file('a.txt', 200)]);
    const req = http.expectOne('/api/channels/c/files');
    expect(req.request.method).toBe('POST');
    const body = req.request.body as FormData;
    expect((body.get('file') as File).name).toBe('a.txt');
    expect(req.request.reportProgress).toBe(true);
    expect(queue.items()[0]).toMatchObject({ name: 'a.txt', size: 200, state: 'uploading', progress: 0 });
    expect(queue.ready()).toBe(false);

    req.event({ type: HttpEventType.UploadProgress, loaded: 50, total: 200 });
    expect(queue.items()[0].progress).toBe(0.25);
    expect(progressText(queue.items()[0])).toBe('50 B of 200 B');
    req.event({ type: HttpEventType.UploadProgress, loaded: 200, total: 200 });
    expect(queue.items()[0].progress).toBe(1);
    expect(queue.items()[0].state).toBe('uploading'); // sent, not yet stored (thumbnails)

    req.flush({ files: [storedFile('f1')] }, { status: 201, statusText: 'Created' });
    expect(queue.items()[0]).toMatchObject({ state: 'done', progress: 1 });
    expect(queue.fileIds()).toEqual(['f1']);
    expect(queue.ready()).toBe(true);
  });

  it('keeps fileIds in the order the files were added, whichever finishes first', () => {
    queue.add([file('one.txt'), file('two.txt'), file('three.txt')]);
    const [one, two, three] = http.match('/api/channels/c/files');
    expect([one, two, three].map((r) => ((r.request.body as FormData).get('file') as File).name)).toEqual(['one.txt', 'two.txt', 'three.txt']);
    three.flush({ files: [storedFile('f3')] });
    one.flush({ files: [storedFile('f1')] });
    expect(queue.ready()).toBe(false);
    two.flush({ files: [storedFile('f2')] });
    expect(queue.fileIds()).toEqual(['f1', 'f2', 'f3']);
  });

  it('× aborts the request still running and the chip goes; the others carry on', () => {
    queue.add([file('big.bin', 1000), file('small.txt')]);
    const [big, small] = http.match('/api/channels/c/files');
    big.event({ type: HttpEventType.UploadProgress, loaded: 10, total: 1000 });
    queue.remove(queue.items()[0].key);
    expect(big.cancelled).toBe(true);
    expect(small.cancelled).toBe(false);
    expect(queue.items().map((u) => u.name)).toEqual(['small.txt']);
    small.flush({ files: [storedFile('f2')] });
    expect(queue.fileIds()).toEqual(['f2']);
  });

  it('a refused upload says why from the coded error, blocks the send, and Retry sends the same file again', () => {
    queue.add([file('huge.iso', 300)]);
    http
      .expectOne('/api/channels/c/files')
      .flush({ statusCode: 413, error: 'Payload Too Large', code: FileErrorCode.TooLarge, message: 'Files may be at most 100 MB' }, { status: 413, statusText: 'Payload Too Large' });
    expect(queue.items()[0]).toMatchObject({ state: 'failed', error: 'Files may be at most 100 MB' });
    expect(queue.failed()).toBe(true);
    expect(queue.ready()).toBe(false);

    queue.retry(queue.items()[0].key);
    const again = http.expectOne('/api/channels/c/files');
    expect(((again.request.body as FormData).get('file') as File).name).toBe('huge.iso');
    expect(queue.items()[0]).toMatchObject({ state: 'uploading', error: null, progress: 0 });
    again.flush({ files: [storedFile('f9')] });
    expect(queue.fileIds()).toEqual(['f9']);
    expect(queue.ready()).toBe(true);
  });

  it('names the quota, a lost connection and storage trouble in words', () => {
    expect(uploadErrorText({ status: 413, code: FileErrorCode.QuotaExceeded, message: 'x', fields: [], retryAfterSeconds: null })).toBe('The workspace is out of file space');
    expect(uploadErrorText({ status: 0, code: null, message: null, fields: [], retryAfterSeconds: null })).toBe('Network error; try again');
    expect(uploadErrorText({ status: 503, code: FileErrorCode.StorageUnavailable, message: null, fields: [], retryAfterSeconds: null })).toBe('File storage is unavailable; try again');
    expect(uploadErrorText({ status: 413, code: null, message: null, fields: [], retryAfterSeconds: null })).toBe('Too large to upload');
    queue.add([file('q.txt')]);
    http.expectOne('/api/channels/c/files').error(new ProgressEvent('error'));
    expect(queue.items()[0].error).toBe('Network error; try again');
  });

  it(`takes at most ${FILES_PER_MESSAGE_MAX} files and says how many it left out`, () => {
    queue.add(Array.from({ length: FILES_PER_MESSAGE_MAX - 2 }, (_, i) => file(`f${i}.txt`)));
    queue.add([file('x.txt'), file('y.txt'), file('z.txt'), file('w.txt')]);
    expect(queue.items().length).toBe(FILES_PER_MESSAGE_MAX);
    expect(queue.items().at(-1)?.name).toBe('y.txt');
    expect(queue.notice()).toBe(`At most ${FILES_PER_MESSAGE_MAX} files per message: 2 not added.`);
    const requests = http.match('/api/channels/c/files');
    expect(requests.length).toBe(FILES_PER_MESSAGE_MAX);
    queue.add([file('later.txt')]);
    expect(queue.items().length).toBe(FILES_PER_MESSAGE_MAX);
    expect(http.match('/api/channels/c/files').length).toBe(0);
    queue.clear();
    expect(requests.every((r) => r.cancelled)).toBe(true);
  });

  it('refuses an empty file without asking the server (it would be refused anyway)', () => {
    queue.add([file('empty.txt', 0)]);
    http.expectNone('/api/channels/c/files');
    expect(queue.items()[0]).toMatchObject({ state: 'failed', error: 'The file is empty' });
  });

  it('an image gets a local preview, revoked when its chip goes; a switch of channel cancels what was attached', () => {
    const created: string[] = [];
    const revoked: string[] = [];
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = () => {
      created.push(`blob:${created.length}`);
      return created.at(-1)!;
    };
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
    try {
      queue.add([file('shot.png', 50, 'image/png'), file('notes.txt')]);
      expect(queue.items().map((u) => u.preview)).toEqual(['blob:0', null]);
      const requests = http.match('/api/channels/c/files');
      queue.setChannel('c'); // the same place: nothing changes
      expect(queue.items().length).toBe(2);
      queue.setChannel('other');
      expect(queue.items()).toEqual([]);
      expect(revoked).toEqual(['blob:0']);
      expect(requests.every((r) => r.cancelled)).toBe(true);
      queue.add([file('n.txt')]);
      http.expectOne('/api/channels/other/files').flush({ files: [storedFile('f1')] });
    } finally {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });
});
