import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, HttpAdapterHost, MetadataScanner } from '@nestjs/core';
import type { AuditOutcome } from '@parley/contracts';
import { IS_PUBLIC } from '../auth/public.decorator';
import { ACCESS_SCOPE } from '../access/access.decorators';
import { AUDITED, AuditedMetadata, NOT_AUDITED } from './audited.decorator';

/** How the requests of one route are audited. */
export interface AuditRoute {
  action: string;
  targetType: string | null;
  /** The route parameter that names the target, unless a service annotates it. */
  targetParam: string;
  /** The target is the `id` of what the handler returns. */
  targetFromResponse: boolean;
  /** The route carries @Audited (else its action is `METHOD /path`). */
  audited: boolean;
  /** The route carries @NotAudited: it leaves no event at all. */
  notAudited?: boolean;
  /** Open without sign-in: a 401 there is a failed credential, not a denial. */
  isPublic: boolean;
  /** Declares a workspace or channel scope: a 404 there is the guard's "you may not know it exists". */
  scoped: boolean;
}

/** A controller method that serves HTTP requests. */
export interface RouteHandler {
  controller: Function;
  handler: Function;
  methodName: string;
  /** POST, GET, ... or ALL. */
  method: string;
  /** Controller and method path, without any global prefix: `/workspaces/:id/audit-events`. */
  path: string;
}

export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function describeRoute(handler: Function, controller: Function, method: string, path: string | undefined): AuditRoute {
  const audited = Reflect.getMetadata(AUDITED, handler) as AuditedMetadata | undefined;
  const fromEither = (key: string): unknown => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  return {
    action: audited?.action ?? `${method} ${path ?? '?'}`,
    targetType: audited?.targetType ?? null,
    targetParam: audited?.targetParam ?? 'id',
    targetFromResponse: audited?.targetFromResponse === true,
    audited: audited !== undefined,
    ...(Reflect.getMetadata(NOT_AUDITED, handler) !== undefined ? { notAudited: true } : {}),
    isPublic: fromEither(IS_PUBLIC) === true,
    scoped: fromEither(ACCESS_SCOPE) !== undefined,
  };
}

/** Whether a request to `route` leaves an event: every mutating one, an @Audited GET, and any 403; never a @NotAudited one. */
export function isAuditable(method: string, route: Pick<AuditRoute, 'audited' | 'notAudited'>, status: number): boolean {
  if (route.notAudited) return false;
  return MUTATING_METHODS.has(method.toUpperCase()) || route.audited || status === 403;
}

/** 2xx/3xx succeed; 401 and 403 are denials (a 401 on a public route is a failed sign-in); so is a 404 on a scoped route. */
export function outcomeFor(status: number, route: Pick<AuditRoute, 'isPublic' | 'scoped'>): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401) return route.isPublic ? 'failure' : 'denied';
  if (status === 403) return 'denied';
  if (status === 404 && route.scoped) return 'denied';
  return 'failure';
}

interface ExpressRoute {
  path: unknown;
  methods: Record<string, boolean>;
}

interface ExpressLayer {
  route?: ExpressRoute;
}

/**
 * Knows how every route of the app is audited, including the requests that guards refuse
 * before any handler-aware code runs (the exception filter sees only the request). Built once
 * at start: each Express route the app serves is matched with the controller method behind it
 * (the method whose own path is the longest tail of the Express path, which carries the global
 * prefix), and looked up by the route object Express leaves on `request.route`.
 */
@Injectable()
export class AuditRoutes implements OnApplicationBootstrap {
  private readonly byExpressRoute = new Map<object, AuditRoute>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const handlers = this.handlers();
    for (const { route, method } of this.expressRoutes()) {
      const path = String(route.path);
      const candidates = handlers.filter(
        (h) => (h.method === method || h.method === 'ALL') && path.endsWith(h.path) && h.path !== '/',
      );
      const best = candidates.sort((a, b) => b.path.length - a.path.length)[0];
      if (best) this.byExpressRoute.set(route, describeRoute(best.handler, best.controller, method, path));
    }
  }

  /** How the request's matched route is audited; undefined when no controller route matched. */
  lookup(route: object | undefined): AuditRoute | undefined {
    return route ? this.byExpressRoute.get(route) : undefined;
  }

  /** Every controller method of the app that serves HTTP requests. */
  handlers(): RouteHandler[] {
    const found: RouteHandler[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller || !wrapper.instance) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, Function>;
      const controllerPaths = asArray(Reflect.getMetadata(PATH_METADATA, controller));
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName];
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        for (const controllerPath of controllerPaths) {
          for (const methodPath of asArray(Reflect.getMetadata(PATH_METADATA, handler))) {
            found.push({
              controller,
              handler,
              methodName,
              method: RequestMethod[requestMethod],
              path: joinPath(controllerPath, methodPath),
            });
          }
        }
      }
    }
    return found;
  }

  /** The routes registered on the Express app, one entry per method. */
  expressRoutes(): { route: ExpressRoute; method: string }[] {
    const app = this.adapterHost.httpAdapter?.getInstance<{ router?: { stack: ExpressLayer[] } }>();
    const layers = app?.router?.stack ?? [];
    return layers.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods)
            .filter((m) => layer.route!.methods[m])
            .map((m) => ({ route: layer.route!, method: m === '_all' ? 'ALL' : m.toUpperCase() }))
        : [],
    );
  }
}

function asArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/');
  return `/${joined}`;
}
