// Scenario 6: one route of the api over keep-alive HTTP, `concurrency` closed-loop workers, the
// same loop for every platform. `route`:
//   history  GET /api/channels/:id/messages?limit=N with a bearer token, channels (`items`) in turn;
//   code     POST /api/auth/code, a new email each time (`tag` keeps them apart between runs);
//   verify   POST /api/auth/verify with `code` for each email of `items` once (each code works once).
import http from 'node:http';
import { closedLoop } from '../lib/closed-loop.mjs';
import { childMain } from '../lib/sio.mjs';

childMain(async ({ url, route, token, items, code, tag, concurrency, warmupMs, windowMs, limit }) => {
  const target = new URL(url);
  if (!/^127\./.test(target.hostname)) throw new Error('loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  function request(method, path, headers, body) {
    return new Promise((resolve, reject) => {
      const outgoing = http.request({ host: target.hostname, port: target.port, path, method, agent, headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
  const post = (path, value) => {
    const body = JSON.stringify(value);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' };
    return request('POST', path, headers, body);
  };
  const wrong = (status, body) => `${status} ${body.toString().slice(0, 200)}`;

  let sent = 0;
  const attempts = {
    history: async (channelId) => {
      const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
      const { status, body } = await request('GET', `/api/channels/${channelId}/messages?limit=${limit}`, headers);
      return status === 200 && JSON.parse(body).items.length === limit ? null : wrong(status, body);
    },
    code: async () => {
      const { status, body } = await post('/api/auth/code', { email: `code-${tag}-${sent++}@bench.invalid` });
      return status === 202 ? null : wrong(status, body);
    },
    verify: async () => {
      if (sent >= items.length) return `all ${items.length} codes used: seed more`;
      const { status, body } = await post('/api/auth/verify', { email: items[sent++], code });
      return status === 200 && JSON.parse(body).accessToken ? null : wrong(status, body);
    },
  };
  const result = await closedLoop({
    channelIds: route === 'history' ? items : [null],
    concurrency,
    warmupMs,
    windowMs,
    attempt: attempts[route],
  });
  agent.destroy();
  return { ...result, sent };
});
