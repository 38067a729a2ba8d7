// Signing people in through the real API (codes from the SMTP sink) and handing the session to a browser context.
export async function signInViaApi(api, sink, email, displayName) {
  const before = sink.count(email);
  const post = (path, body) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/api/auth/register', { email, displayName });
  if (registered.status !== 202) throw new Error(`register answered ${registered.status}`);
  const code = await sink.waitForCode(email, before);
  const verified = await post('/api/auth/verify', { email, code });
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`);
  return verified.json();
}

/** Ana and Bruno, two freshly registered people, signed in through the api. */
export async function anaAndBruno({ api, sink }) {
  const stamp = Date.now().toString(36);
  const ana = await signInViaApi(api, sink, `ana-${stamp}@example.com`, 'Ana Lima');
  const bruno = await signInViaApi(api, sink, `bruno-${stamp}@example.com`, 'Bruno Costa');
  return { ana, bruno };
}

/** A browser context already signed in as `auth` (the app keeps its session in localStorage). */
export async function signedInContext(browser, auth, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, expiresAt: Date.now() + auth.expiresIn * 1000, user: auth.user };
  await context.addInitScript((value) => {
    if (!localStorage.getItem('parley.auth')) localStorage.setItem('parley.auth', value);
  }, JSON.stringify(session));
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
