// Signing people in through the real API (codes from the SMTP sink) and handing the session to a browser context.
import { startWorld } from './env.mjs';

export async function signInViaApi(api, sink, email, displayName) {
  const before = sink.count(email);
  const post = (path, body) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/api/auth/register', { email, displayName });
  if (registered.status !== 202) throw new Error(`register answered ${registered.status}`);
  const code = await sink.waitForCode(email, before);
  const verified = await post('/api/auth/verify', { email, code });
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`);
  const auth = await verified.json();
  // For signedInContext: where the api is, and how to get this person another session of their own.
  Object.defineProperty(auth, 'apiUrl', { value: api.url });
  Object.defineProperty(auth, 'newSession', { value: () => signInViaApi(api, sink, email, displayName) });
  return auth;
}

const handedToAContext = new WeakSet();

/** Ana and Bruno, two freshly registered people, signed in through the api. */
export async function anaAndBruno({ api, sink }) {
  const stamp = Date.now().toString(36);
  const ana = await signInViaApi(api, sink, `ana-${stamp}@example.com`, 'Ana Lima');
  const bruno = await signInViaApi(api, sink, `bruno-${stamp}@example.com`, 'Bruno Costa');
  return { ana, bruno };
}

/**
 * A browser context already signed in as `auth` (from signInViaApi), as the app keeps a session:
 * the refresh token in its HttpOnly cookie, and the hint in localStorage that makes the app
 * restore the session from it on load. The cookie rotates on every refresh, so two contexts
 * cannot share one session (the second would present a used token and end it): the first context
 * of a person takes `auth`'s session, every later one signs that person in again.
 */
export async function signedInContext(browser, auth, options = {}) {
  if (!auth.apiUrl) throw new Error('signedInContext needs a session from signInViaApi');
  const session = handedToAContext.has(auth) ? await auth.newSession() : auth;
  handedToAContext.add(auth);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const { hostname } = new URL(auth.apiUrl);
  await context.addCookies([
    { name: 'parley_refresh', value: session.refreshToken, domain: hostname, path: '/api/auth', httpOnly: true, sameSite: 'Strict', secure: false },
  ]);
  await context.addInitScript(() => {
    if (!localStorage.getItem('parley.signedIn')) localStorage.setItem('parley.signedIn', '1');
  });
  return context;
}

export async function apiCall(api, auth, method, path, body) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.accessToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A new workspace of `owner`'s with `member` in it as a Member (invited and accepted through the api); its id. */
export async function workspaceWith(api, owner, member, name) {
  const workspace = await apiCall(api, owner, 'POST', '/api/workspaces', { name });
  const roles = await apiCall(api, owner, 'GET', `/api/workspaces/${workspace.id}/roles`);
  const invite = await apiCall(api, owner, 'POST', `/api/workspaces/${workspace.id}/invites`, {
    email: member.user.email,
    roleId: roles.find((r) => r.builtIn === 'member').id,
  });
  await apiCall(api, member, 'POST', `/api/invites/${invite.token}/accept`);
  return workspace.id;
}

/**
 * What most browser test files start from: a world (SMTP sink, api, Chromium; sends not rate
 * limited in the way), Ana and Bruno signed in, a new workspace `name` of Ana's with Bruno in it,
 * and its #general. The world is stopped again if any of it fails.
 */
export async function twoInAWorkspace(name, { env } = {}) {
  const world = await startWorld({ env: { RATE_LIMIT_SEND_BURST: '1000', ...env } });
  try {
    const { api, browser } = world;
    const { ana, bruno } = await anaAndBruno(world);
    const workspaceId = await workspaceWith(api, ana, bruno, name);
    const channels = await apiCall(api, ana, 'GET', `/api/workspaces/${workspaceId}/channels`);
    return { world, api, browser, ana, bruno, workspaceId, general: channels.find((c) => c.name === 'general') };
  } catch (error) {
    await world.stop();
    throw error;
  }
}
