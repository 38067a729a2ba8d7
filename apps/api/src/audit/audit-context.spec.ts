import { AuditContext, AuditStore } from './audit-context';

describe('AuditContext', () => {
  it('collects annotations for the request it runs, across awaits', async () => {
    const store: AuditStore = {};
    await AuditContext.run(store, async () => {
      AuditContext.annotate({ workspaceId: 'w1', details: { a: 1 } });
      await new Promise((resolve) => setTimeout(resolve, 1));
      AuditContext.annotate({ targetId: 't1', actorId: undefined, details: { b: 2 } });
    });
    expect(store).toEqual({ workspaceId: 'w1', targetId: 't1', details: { a: 1, b: 2 } });
  });

  it('keeps concurrent requests apart', async () => {
    const first: AuditStore = {};
    const second: AuditStore = {};
    const annotateLater = (id: string) =>
      new Promise<void>((resolve) => setTimeout(() => (AuditContext.annotate({ targetId: id }), resolve()), 2));
    await Promise.all([
      AuditContext.run(first, () => annotateLater('one')),
      AuditContext.run(second, () => annotateLater('two')),
    ]);
    expect(first.targetId).toBe('one');
    expect(second.targetId).toBe('two');
  });

  it('does nothing outside a request', () => {
    expect(AuditContext.current()).toBeUndefined();
    expect(() => AuditContext.annotate({ targetId: 'x' })).not.toThrow();
  });
});
