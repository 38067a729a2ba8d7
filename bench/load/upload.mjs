// Scenario 8: `count` uploads of one file, one after the other, timed each from the first byte
// sent to the last byte of the answer, in one of three modes:
//  - parley: POST /api/channels/:id/files, a multipart/form-data body (field `file`) streamed from
//    disk (node:http, fs.createReadStream piped between the part's head and the closing boundary;
//    the file is never read into this process's memory); every answer must be 201 with one file of
//    the file's size. Around the uploads it asks run.mjs to watch the server's RSS (type 'rss').
//  - cp: the same file copied with a spawned `cp` into `copyDir` (same disk), size checked.
//  - s3: the same file PUT to the same s3rver with @aws-sdk/lib-storage's Upload, partSize 8 MiB
//    and queueSize 2 as the api's S3 driver, from this process (not the server's); size checked by HEAD.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { cpuBetween } from '../lib/procs.mjs';
import { childMain, probe } from '../lib/sio.mjs';
import { median } from '../lib/stats.mjs';

const MIB = 1024 * 1024;

/** Asks run.mjs about the server's RSS ('begin' before the uploads, 'end' after) and waits for its answer. */
function rss(cmd) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message?.cmd === 'rss') {
        process.off('message', listener);
        resolve(message);
      }
    };
    process.on('message', listener);
    process.send({ type: 'rss', cmd });
  });
}

/** One multipart upload streamed from `file`; resolves with the status and the parsed answer. */
function uploadToParley({ url, token, channelId }, file, size) {
  const boundary = `----parley-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-upload.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/channels/${channelId}/files`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: response.statusCode, body });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.write(head);
    const stream = createReadStream(file);
    stream.on('error', (error) => request.destroy(error));
    stream.on('end', () => request.end(tail));
    stream.pipe(request, { end: false });
  });
}

function cp(from, to) {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', [from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cp exited with ${code}: ${stderr.trim()}`))));
  });
}

childMain(async ({ mode, file, count, parley, copyDir, s3, watchRss = false }) => {
  const size = statSync(file).size;
  const client =
    mode === 's3'
      ? new S3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        })
      : null;
  /** One upload (or copy); resolves with null when its outcome was right, or what was wrong. */
  const once = {
    async parley() {
      const { status, body } = await uploadToParley(parley, file, size);
      if (status !== 201 && status !== 200) return `HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`;
      const files = body?.files;
      if (!Array.isArray(files) || files.length !== 1) return `answer without one file: ${JSON.stringify(body).slice(0, 200)}`;
      return files[0].size === size ? null : `stored size ${files[0].size}, file ${size}`;
    },
    async cp(i) {
      const target = join(copyDir, `copy-${i}.bin`);
      await cp(file, target);
      return () => {
        const copied = statSync(target).size;
        return rm(target, { force: true }).then(() => (copied === size ? null : `copied ${copied}, file ${size}`));
      };
    },
    async s3(i) {
      const key = `bench/${randomBytes(6).toString('hex')}-${i}.bin`;
      const upload = new Upload({
        client,
        params: { Bucket: s3.bucket, Key: key, Body: createReadStream(file) },
        queueSize: 2,
        partSize: 8 * MIB,
      });
      await upload.done();
      return async () => {
        const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
        return head.ContentLength === size ? null : `stored ${head.ContentLength}, file ${size}`;
      };
    },
  }[mode];

  const times = [];
  let errors = 0;
  let firstError = null;
  const memory = watchRss ? await rss('begin') : null;
  const cpuFrom = await probe();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    let outcome;
    try {
      outcome = await once(i);
    } catch (error) {
      outcome = error.message;
    }
    const ms = performance.now() - t;
    // cp and s3 check their result after the clock stopped (stat, HEAD): not part of the copy.
    if (typeof outcome === 'function') outcome = await outcome().catch((error) => error.message);
    if (outcome) {
      errors++;
      firstError ??= outcome;
    } else times.push(ms);
  }
  const cpu = cpuBetween(cpuFrom, await probe());
  const watched = watchRss ? await rss('end') : null;
  client?.destroy();
  const msPerUpload = times.length ? median(times) : null;
  return {
    msPerUpload,
    mibPerSec: msPerUpload ? size / MIB / (msPerUpload / 1000) : null,
    uploads: times.length,
    times: times.map((ms) => Number(ms.toFixed(1))),
    fileMiB: size / MIB,
    errors,
    firstError,
    ...(watched
      ? {
          rssBeforeMiB: memory.beforeMiB,
          rssPeakMiB: watched.peakMiB,
          rssSampledPeakMiB: watched.sampledPeakMiB,
          rssGrowthMiB: watched.peakMiB - memory.beforeMiB,
          rssSamples: watched.samples,
        }
      : {}),
    cpu,
  };
});
