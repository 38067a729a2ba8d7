import { Logger } from '@nestjs/common';
import { CommonErrorCode } from '@parley/contracts';
import { AuditStore } from './audit-context';
import { AuditedRequest, AuditRequestRecorder } from './audit-request-recorder';
import { AuditRoute, AuditRoutes } from './audit-routes';
import { AuditRecordInput, AuditService } from './audit.service';

const route = (overrides: Partial<AuditRoute> = {}): AuditRoute => ({
  action: 'member.role.change',
  targetType: 'member',
  targetParam: 'id',
  targetFromResponse: false,
  audited: true,
  isPublic: false,
  scoped: true,
  ...overrides,
});

function setup(found?: AuditRoute) {
  const recorded: AuditRecordInput[] = [];
  const audit = {
    record: jest.fn(async (input: AuditRecordInput) => void recorded.push(input)),
    enqueue: jest.fn(async (input: AuditRecordInput) => void recorded.push(input)),
    drain: jest.fn(async () => undefined),
  };
  const routes = { lookup: jest.fn(() => found) };
  const recorder = new AuditRequestRecorder(audit as unknown as AuditService, routes as unknown as AuditRoutes);
  return { recorder, recorded, audit };
}

const request = (overrides: Partial<AuditedRequest> = {}) =>
  ({
    method: 'PATCH',
    path: '/api/workspaces/w1/members/u2',
    route: { path: '/api/workspaces/:id/members/:userId' },
    params: { id: 'w1', userId: 'u2' },
    ip: '10.0.0.9',
    headers: { 'user-agent': 'jest' },
    user: { userId: 'u1', sessionId: 's1' },
    access: { workspaceId: 'w1' },
    ...overrides,
  }) as unknown as AuditedRequest;

describe('AuditRequestRecorder', () => {
  it('records a success with what the guards and the route tell', async () => {
    const { recorder, recorded } = setup();
    await recorder.recordSuccess(request(), {}, route({ targetParam: 'userId' }), 200, {});
    expect(recorded).toEqual([
      {
        workspaceId: 'w1',
        actorId: 'u1',
        action: 'member.role.change',
        targetType: 'member',
        targetId: 'u2',
        outcome: 'success',
        ip: '10.0.0.9',
        userAgent: 'jest',
        details: { status: 200 },
      },
    ]);
  });

  it('prefers what the service annotated, and can take the target from the result', async () => {
    const { recorder, recorded } = setup();
    const store: AuditStore = { workspaceId: 'w9', actorId: 'u9', targetType: 'channel', details: { name: 'x' } };
    await recorder.recordSuccess(request(), store, route({ targetFromResponse: true }), 201, { id: 'c1' });
    expect(recorded[0]).toMatchObject({
      workspaceId: 'w9',
      actorId: 'u9',
      targetType: 'channel',
      targetId: 'c1',
      details: { name: 'x', status: 201 },
    });
    const annotated = setup();
    await annotated.recorder.recordSuccess(request(), { targetId: 't1' }, route({ targetFromResponse: true }), 201, { id: 'c1' });
    expect(annotated.recorded[0].targetId).toBe('t1');
  });

  it('records a refusal through the route table, once per request', async () => {
    const { recorder, recorded } = setup(route({ action: 'role.delete', targetParam: 'userId' }));
    const store: AuditStore = {};
    const error = { statusCode: 403, error: 'Forbidden', message: 'no', code: CommonErrorCode.Forbidden };
    await recorder.recordFailure(request({ method: 'DELETE' }), store, error);
    await recorder.recordFailure(request({ method: 'DELETE' }), store, error);
    expect(recorded).toEqual([
      expect.objectContaining({
        action: 'role.delete',
        outcome: 'denied',
        targetId: 'u2',
        details: { status: 403, errorCode: 'FORBIDDEN' },
      }),
    ]);
  });

  it('leaves out requests no controller route matched, and GETs that are neither @Audited nor refused', async () => {
    const unmatched = setup(undefined);
    const error = { statusCode: 404, error: 'Not Found', message: 'no', code: CommonErrorCode.NotFound };
    await unmatched.recorder.recordFailure(request({ method: 'POST', route: undefined }), {}, error);
    expect(unmatched.recorded).toEqual([]);
    const read = setup(route({ audited: false }));
    await read.recorder.recordFailure(request({ method: 'GET' }), {}, error);
    expect(read.recorded).toEqual([]);
  });

  it('fails the request (503) when a success cannot be written, so no 2xx goes out for an unrecorded change', async () => {
    const { recorder, audit } = setup();
    audit.record.mockRejectedValueOnce(new Error('database down'));
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const store: AuditStore = {};
    await expect(recorder.recordSuccess(request(), store, route(), 200, {})).rejects.toMatchObject({
      status: 503,
      code: CommonErrorCode.ServiceUnavailable,
    });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('database down'));
    // The exception filter may then record the failure.
    expect(store.recorded).toBe(false);
    log.mockRestore();
  });

  it('writes a success with the transaction it is given into the outbox, and chains it once asked (after the commit)', async () => {
    const { recorder, audit } = setup();
    const manager = { marker: 'tx' };
    const store: AuditStore = {};
    await recorder.recordSuccess(request(), store, route(), 200, undefined, manager as never);
    expect(audit.enqueue).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'success', workspaceId: 'w1' }), manager);
    expect(audit.record).not.toHaveBeenCalled();
    expect(audit.drain).not.toHaveBeenCalled();
    await recorder.chainQueued(store);
    expect(audit.drain).toHaveBeenCalledWith('w1');
    // Once: a second call has nothing left to chain.
    await recorder.chainQueued(store);
    expect(audit.drain).toHaveBeenCalledTimes(1);
  });

  it('leaves an event it cannot chain yet in the outbox, logged, without failing the committed request', async () => {
    const { recorder, audit } = setup();
    audit.drain.mockRejectedValueOnce(new Error('lock timeout'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const store: AuditStore = {};
    await recorder.recordSuccess(request(), store, route(), 200, undefined, {} as never);
    await expect(recorder.chainQueued(store)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('lock timeout'));
    warn.mockRestore();
  });

  it('logs a failure it cannot write, and lets the error answer go', async () => {
    const { recorder, audit } = setup(route());
    audit.record.mockRejectedValueOnce(new Error('database down'));
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = { statusCode: 409, error: 'Conflict', message: 'no', code: CommonErrorCode.Conflict };
    await expect(recorder.recordFailure(request(), {}, error)).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('database down'));
    log.mockRestore();
  });
});
