// Scenario 5a: GET /api/channels/:id/messages?limit=50 over keep-alive HTTP, `concurrency`
// closed-loop workers, channels taken in turn. A keep-alive loop on node:http (no autocannon).
import http from 'node:http';
import { closedLoop } from '../lib/closed-loop.mjs';
import { childMain } from '../lib/sio.mjs';

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
  const result = await closedLoop({
    channelIds,
    concurrency,
    warmupMs,
    windowMs,
    attempt: async (channelId) => {
      const { status, body } = await get(`/api/channels/${channelId}/messages?limit=${limit}`);
      return status === 200 && JSON.parse(body).items.length === limit ? null : `${status} ${body.toString().slice(0, 200)}`;
    },
  });
  agent.destroy();
  return result;
});
