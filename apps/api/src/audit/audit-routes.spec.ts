import { isAuditable, outcomeFor } from './audit-routes';

describe('outcomeFor', () => {
  const plain = { isPublic: false, scoped: false };

  it('counts 2xx and 3xx as success', () => {
    expect(outcomeFor(200, plain)).toBe('success');
    expect(outcomeFor(204, plain)).toBe('success');
    expect(outcomeFor(302, plain)).toBe('success');
  });

  it('counts 401 and 403 as denied, but a 401 on a public route (a bad sign-in code) as a failure', () => {
    expect(outcomeFor(401, plain)).toBe('denied');
    expect(outcomeFor(403, plain)).toBe('denied');
    expect(outcomeFor(401, { isPublic: true, scoped: false })).toBe('failure');
  });

  it('counts a 404 as denied on a scoped route only', () => {
    expect(outcomeFor(404, { isPublic: false, scoped: true })).toBe('denied');
    expect(outcomeFor(404, plain)).toBe('failure');
  });

  it('counts other errors as failures', () => {
    for (const status of [400, 409, 413, 429, 500, 503]) expect(outcomeFor(status, plain)).toBe('failure');
  });
});

describe('isAuditable', () => {
  it('audits every mutating request, an @Audited GET, and any 403', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post'])
      expect(isAuditable(method, { audited: false }, 200)).toBe(true);
    expect(isAuditable('GET', { audited: true }, 200)).toBe(true);
    expect(isAuditable('GET', { audited: false }, 403)).toBe(true);
    expect(isAuditable('GET', { audited: false }, 200)).toBe(false);
    expect(isAuditable('GET', { audited: false }, 404)).toBe(false);
  });

  it('leaves out a @NotAudited route entirely, refusals included', () => {
    for (const status of [200, 201, 403, 404])
      expect(isAuditable('POST', { audited: false, notAudited: true }, status)).toBe(false);
  });
});
