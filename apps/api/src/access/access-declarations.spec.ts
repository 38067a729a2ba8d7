import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, Observable } from 'rxjs';
import { AccessDeclarationInterceptor, noteChannelCheck, noteMessageCheck } from './access-declarations';
import { InChannel, OnMessage } from './access.decorators';
import { ChannelAction, MessageAction } from './access.rules';

class Routes {
  @OnMessage('id', MessageAction.Edit)
  edit(): void {}

  @InChannel('id', ChannelAction.Post)
  post(): void {}
}

/** Runs `handler` as the route `method` of Routes with `:id` = 'x', through the interceptor. */
function serve(method: 'edit' | 'post', handler: () => void): Promise<unknown> {
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[method],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ params: { id: 'x' } }) }),
  } as unknown as ExecutionContext;
  const next: CallHandler = {
    handle: () =>
      new Observable((subscriber) => {
        handler();
        subscriber.next('answer');
        subscriber.complete();
      }),
  };
  return lastValueFrom(new AccessDeclarationInterceptor(new Reflector()).intercept(context, next));
}

describe('AccessDeclarationInterceptor', () => {
  it('lets a message route through once its service checked the declared rule on that message', async () => {
    await expect(serve('edit', () => noteMessageCheck('x', MessageAction.Edit))).resolves.toBe('answer');
  });

  it('fails a message route whose service checked another rule, another message, or only a channel', async () => {
    await expect(serve('edit', () => noteMessageCheck('x', MessageAction.Delete))).rejects.toThrow(
      'Routes.edit declares edit on its message but checked delete on x',
    );
    await expect(serve('edit', () => noteMessageCheck('y', MessageAction.Edit))).rejects.toThrow('checked edit on y');
    await expect(serve('edit', () => noteChannelCheck('x', ChannelAction.Post))).rejects.toThrow('but checked none');
  });

  it('still holds channel routes to their channel rule', async () => {
    await expect(serve('post', () => noteChannelCheck('x', ChannelAction.Post))).resolves.toBe('answer');
    await expect(serve('post', () => noteMessageCheck('x', MessageAction.Edit))).rejects.toThrow('Routes.post declares post on its channel');
  });
});
