import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const AUDITED = 'parley:audited';

/** Where the event's target id comes from when the service does not annotate one. */
export interface AuditedOptions {
  /** The route parameter naming the target (default `id`): `{ targetParam: 'roleId' }`. */
  targetParam?: string;
  /** The `id` of what the handler returns (the thing a POST created); null when it fails. */
  targetFromResponse?: boolean;
}

export interface AuditedMetadata extends AuditedOptions {
  action: string;
  targetType: string | null;
}

/**
 * Names the audit event of a route: `@Audited('channel.create', 'channel', { targetFromResponse: true })`.
 * Every mutating route (POST, PUT, PATCH, DELETE) is audited, decorated or not (an undecorated
 * one as `POST /api/...`, and a test fails on it); a GET route only when it carries this
 * decorator. The target id is what the service annotates (`AuditContext.annotate({ targetId })`),
 * else what the options say, else the route's `:id` parameter.
 */
export const Audited = (action: string, targetType?: string, options: AuditedOptions = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(AUDITED, { action, targetType: targetType ?? null, ...options } satisfies AuditedMetadata),
    ApiExtension('x-audit-action', action),
  );
