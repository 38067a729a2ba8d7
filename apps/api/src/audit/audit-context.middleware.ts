import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { onBeforeErrorResponse } from '../common/http-exception.filter';
import { AuditContext, AuditStore } from './audit-context';
import { AuditedRequest, AuditRequestRecorder } from './audit-request-recorder';

/**
 * Opens the audit context of every HTTP request, and asks the exception filter to let the
 * log record a refused or failed request before its error answer is written.
 */
@Injectable()
export class AuditContextMiddleware implements NestMiddleware {
  constructor(private readonly recorder: AuditRequestRecorder) {}

  use(request: AuditedRequest, _response: Response, next: NextFunction): void {
    const store: AuditStore = {};
    onBeforeErrorResponse(request, (error) => this.recorder.recordFailure(request, store, error));
    AuditContext.run(store, next);
  }
}
