// Scenario 5a: GET /api/channels/:id/messages?limit=50 over keep-alive HTTP, `concurrency`
// closed-loop workers, channels taken in turn. A keep-alive loop on node:http (no autocannon).
import http from 'node:http';
import { Recorder } from '../lib/stats.mjs';
import { childMain, windowCpu } from '../lib/sio.mjs';

childMain(async ({ url, token, channelIds, concurrency, warmupMs, windowMs, limit }) => {
  const target = new URL(url);
  if (!/^127\./.test(target.hostname)) throw new Error('loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  function get(path) {
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: target.hostname, port: target.port, path, method: 'GET', agent, headers },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end();
    });
  }
  const latency = new Recorder(1 << 16);
  let ok = 0;
  let errors = 0;
  let firstError = null;
  let next = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = windowMs ? windowCpu(measureFrom, end) : null;
  async function worker() {
    while (performance.now() < end) {
      const channelId = channelIds[next++ % channelIds.length];
      const t = performance.now();
      let good = false;
      try {
        const { status, body } = await get(`/api/channels/${channelId}/messages?limit=${limit}`);
        good = status === 200 && JSON.parse(body).items.length === limit;
        if (!good) firstError ??= `${status} ${body.toString().slice(0, 200)}`;
      } catch (error) {
        firstError ??= error.message;
      }
      const done = performance.now();
      if (t >= measureFrom && done <= end) {
        if (good) {
          ok++;
          latency.record(done - t);
        } else errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  const s = latency.summary();
  const cpu = cpuWindow ? await cpuWindow : null;
  return { cpu, perSec: (ok / windowMs) * 1000, ok, errors, firstError, p50: s.p50, p99: s.p99, max: s.max };
});
