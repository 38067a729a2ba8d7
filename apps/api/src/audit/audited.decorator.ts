import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuditAction } from '@parley/contracts';

export const AUDITED = 'parley:audited';
export const NOT_AUDITED = 'parley:not-audited';

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
 * Names the audit event of a route: `@Audited(AuditAction.ChannelCreate, 'channel', { targetFromResponse: true })`.
 * Every mutating route (POST, PUT, PATCH, DELETE) is audited, decorated or not (an undecorated
 * one as `POST /api/...`, and a test fails on it), unless it says @NotAudited; a GET route only
 * when it carries this decorator. The target id is what the service annotates
 * (`AuditContext.annotate({ targetId })`), else what the options say, else the route's `:id`
 * parameter. A success is written in the action's transaction (see auditedTransaction), where
 * the response is not known yet: a route with `targetFromResponse` has its service annotate the
 * target there.
 */
export const Audited = (action: AuditAction, targetType?: string, options: AuditedOptions = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(AUDITED, { action, targetType: targetType ?? null, ...options } satisfies AuditedMetadata),
    ApiExtension('x-audit-action', action),
  );

/**
 * Leaves a mutating route out of the audit log, successes and refusals alike, for the reason
 * given. The rule: the log records who may do what and what exists (sign-ins, sessions,
 * workspaces, members, roles, invites, channels, exports), not the flow of conversation.
 * Sending a message and moving one's read position leave no event, over REST or over the
 * socket (their twins `sendMessage` and `markRead` are not audited either, nor are `typingStart`,
 * `typingStop` and `setStatus`, which have no REST twin). Changes to messages already written
 * are audited (edit and delete, naming the message but never its text; pin, export and purge
 * too, on both transports, once they exist).
 */
export const NotAudited = (reason: string): MethodDecorator => SetMetadata(NOT_AUDITED, reason);
