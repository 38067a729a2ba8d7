import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { concatMap, Observable } from 'rxjs';
import { AuditContext } from './audit-context';
import { describeRoute, isAuditable } from './audit-routes';
import { AuditedRequest, AuditRequestRecorder } from './audit-request-recorder';

/**
 * Records the successes. Before the handler runs it leaves `recordIn` in the request's audit
 * context, so that the service's auditedTransaction writes the event inside the action's own
 * transaction; once the handler has returned (and before Nest writes the answer) it writes the
 * event itself when no transaction did (a handler that changed nothing). Errors pass through
 * untouched; the exception filter records them (together with what the guards refused, which
 * never reaches an interceptor).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly recorder: AuditRequestRecorder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const store = context.getType() === 'http' ? AuditContext.current() : undefined;
    if (!store) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const handler = context.getHandler();
    const route = describeRoute(
      handler,
      context.getClass(),
      request.method,
      (request.route as { path?: string } | undefined)?.path,
    );
    // Kept for the exception filter, should the handler throw.
    store.route = route;
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (request.method === 'POST' ? 201 : 200);
    if (!isAuditable(request.method, route, status)) return next.handle();
    store.recordIn = (manager) => this.recorder.recordSuccess(request, store, route, status, undefined, manager);
    store.lockIn = (manager) => this.recorder.lockChain(request, store, manager);
    store.inTurn = (work) => this.recorder.inTurn(request, store, work);
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await this.recorder.recordSuccess(request, store, route, status, value);
        return value;
      }),
    );
  }
}
