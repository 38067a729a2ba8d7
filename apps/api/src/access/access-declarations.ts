import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, tap } from 'rxjs';
import { ACCESS_SCOPE, AccessScope } from './access.decorators';
import { ChannelAction, MessageAction } from './access.rules';

/** The channel and message rules checked while one request was served. */
interface Checked {
  channels: { channelId: string; action: ChannelAction }[];
  messages: { messageId: string; action: MessageAction }[];
  files: { fileId: string; action: ChannelAction }[];
}

const storage = new AsyncLocalStorage<Checked>();

/** Called by AccessService.requireChannel: the rule it just checked, for the declaration check below. */
export function noteChannelCheck(channelId: string, action: ChannelAction): void {
  storage.getStore()?.channels.push({ channelId, action });
}

/** Called by AccessService.requireMessage: the rule it just checked. */
export function noteMessageCheck(messageId: string, action: MessageAction): void {
  storage.getStore()?.messages.push({ messageId, action });
}

/** Called by AccessService.requireFile: the rule it just checked. */
export function noteFileCheck(fileId: string, action: ChannelAction): void {
  storage.getStore()?.files.push({ fileId, action });
}

function assertFileChecked(checked: Checked, fileId: string, action: ChannelAction, where: string): void {
  if (!checked.files.some((f) => f.fileId === fileId && f.action === action)) {
    const seen = checked.files.map((f) => `${f.action} on ${f.fileId}`).join(', ') || 'none';
    throw new Error(`${where} declares ${action} on its file but checked ${seen}`);
  }
}

function assertMessageChecked(checked: Checked, messageId: string, action: MessageAction, where: string): void {
  if (!checked.messages.some((m) => m.messageId === messageId && m.action === action)) {
    const seen = checked.messages.map((m) => `${m.action} on ${m.messageId}`).join(', ') || 'none';
    throw new Error(`${where} declares ${action} on its message but checked ${seen}`);
  }
}

function assertChecked(checked: Checked, channelId: string, action: ChannelAction, where: string): void {
  if (!checked.channels.some((c) => c.channelId === channelId && c.action === action)) {
    const seen = checked.channels.map((c) => `${c.action} on ${c.channelId}`).join(', ') || 'none';
    throw new Error(`${where} declares ${action} on its channel but checked ${seen}`);
  }
}

/**
 * Runs a socket event's handler and fails it if it succeeded without checking the rule the
 * event table declares for it, as AccessDeclarationInterceptor does for routes.
 */
export function withDeclaredCheck<T>(channelId: string, action: ChannelAction, where: string, handle: () => Promise<T>): Promise<T> {
  return runChecked(handle, (checked) => assertChecked(checked, channelId, action, where));
}

/** As withDeclaredCheck, for a socket event whose rule is on the message its payload names. */
export function withDeclaredMessageCheck<T>(messageId: string, action: MessageAction, where: string, handle: () => Promise<T>): Promise<T> {
  return runChecked(handle, (checked) => assertMessageChecked(checked, messageId, action, where));
}

/** Runs `handle` noting the rules it checks, then hands them to `verify` (once it has succeeded). */
async function runChecked<T>(handle: () => Promise<T>, verify: (checked: Checked) => void): Promise<T> {
  const checked: Checked = { channels: [], messages: [], files: [] };
  const result = await storage.run(checked, handle);
  verify(checked);
  return result;
}

/**
 * Keeps the route list honest. A channel route declares its rule (`@InChannel('id', action)`),
 * a message route its own (`@OnMessage('id', action)`), and its service checks it; this fails the request when a handler succeeded without its
 * service having checked the declared rule on the named channel, so a route whose
 * declaration and code part ways fails its first test instead of misleading a reviewer.
 */
@Injectable()
export class AccessDeclarationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const scope = this.reflector.getAllAndOverride<AccessScope | undefined>(ACCESS_SCOPE, [context.getHandler(), context.getClass()]);
    if (scope?.kind !== 'channel' && scope?.kind !== 'message' && scope?.kind !== 'file') return next.handle();
    const id = context.switchToHttp().getRequest<{ params: Record<string, string> }>().params[scope.param];
    const where = `${context.getClass().name}.${context.getHandler().name}`;
    const checked: Checked = { channels: [], messages: [], files: [] };
    return new Observable((subscriber) =>
      storage.run(checked, () =>
        next
          .handle()
          .pipe(
            tap(() => {
              if (scope.kind === 'channel') assertChecked(checked, id, scope.action, where);
              else if (scope.kind === 'message') assertMessageChecked(checked, id, scope.action, where);
              else assertFileChecked(checked, id, scope.action, where);
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
