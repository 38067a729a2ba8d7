import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCEPTS_FILES_COOKIE, IS_PUBLIC } from '@api/auth/public.decorator';
import { Permission } from '@parley/contracts';
import { ACCESS_SCOPE, AccessScope, describeRouteRule, REQUIRED_PERMISSION } from '@api/access/access.decorators';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * Every REST route with what it takes to call it. A change of access shows up as a diff of
 * the snapshot beside this file, for a reviewer to see.
 */
describe('route access list', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ mode: databaseModes()[0] });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists every route with the access it requires', () => {
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    const reflector = t.app.get(Reflector);
    const lines: string[] = [];
    for (const wrapper of discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || !wrapper.instance) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string) ?? '';
      for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(wrapper.instance))) {
        const handler = (wrapper.instance as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = `/${[base, path].filter((part) => part && part !== '/').join('/')}`;
        const url = full.startsWith('/health') || full.startsWith('/metrics') ? full : `/api${full}`;
        const targets = [handler as () => void, controller];
        const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
        const scope = reflector.getAllAndOverride<AccessScope | undefined>(ACCESS_SCOPE, targets);
        const permission = reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
        const signedIn = Reflect.getMetadata(ACCEPTS_FILES_COOKIE, handler) ? 'signed in (bearer or the files cookie)' : 'signed in';
        const access = isPublic ? 'public' : [signedIn, describeRouteRule(scope, permission)].filter(Boolean).join(', ');
        lines.push(`${method.padEnd(6)} ${url.padEnd(48)} ${access}`);
      }
    }
    lines.sort((a, b) => a.slice(7).localeCompare(b.slice(7)) || a.localeCompare(b));
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.join('\n')).toMatchSnapshot();
  });
});
