import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { jsonBodyParser, refuseHostileRequest } from './common/input-guards';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/config';
import { addressRateLimit } from './rate-limit/address-limit.middleware';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { ParleyIoAdapter } from './realtime/io-adapter';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function createLogger(config: Pick<AppConfig, 'logFormat' | 'logLevel'>): ConsoleLogger {
  return new ConsoleLogger({
    json: config.logFormat === 'json',
    colors: config.logFormat === 'pretty' && process.stdout.isTTY,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
}

export function swaggerDocument(app: NestExpressApplication) {
  const options = new DocumentBuilder()
    .setTitle('Parley API')
    .setDescription(
      'REST API of Parley, the self-hosted team chat. Sign in with POST /api/auth/login and /api/auth/verify, ' +
        'then send the access token as `Authorization: Bearer <token>`. Live events arrive over Socket.IO ' +
        'on the same origin (see the README).',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, options);
}

/** Builds the whole app (not yet listening): used by main.ts and by the tests alike. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: createLogger(config),
    bodyParser: false,
    abortOnError: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.use(instanceHeader(config.instanceId));
  app.disable('x-powered-by');
  app.use(securityHeaders(config));
  useBodyParsers(app, config);
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['Retry-After'],
  });
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new ParleyIoAdapter(app, config));
  app.enableShutdownHooks();

  SwaggerModule.setup('api/docs', app, () => swaggerDocument(app), { jsonDocumentUrl: 'api/docs-json' });

  serveWebApp(app, config.webDir);
  return app;
}

/**
 * Helmet's headers. The page may connect only to its own origin: `'self'`, plus the same
 * host's ws(s) spelled out, since older browsers do not count ws: as `'self'`. HSTS only
 * where it means something: a deployment on https, or a request that came over TLS.
 */
export function securityHeaders(config: Pick<AppConfig, 'publicUrl'>): express.RequestHandler {
  const publicUrl = new URL(config.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const headers = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Our own images, and the previews the page makes of files being uploaded (blob:). No
        // other origin: a picture from elsewhere would tell that host who looked, and when.
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", `${https ? 'wss' : 'ws'}://${publicUrl.host}`],
        // Self-hosted instances are often reached over plain http on an intranet address.
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  });
  const hsts = 'max-age=31536000; includeSubDomains';
  return (request, response, next) => {
    if (https || request.secure) response.setHeader('Strict-Transport-Security', hsts);
    headers(request, response, next);
  };
}

/**
 * Sign-in requests are counted per address before any body is read; JSON bodies are refused
 * when nested too deep before they are parsed; then NUL characters and unpaired surrogates are
 * refused in every body, query and path, before any route sees them.
 */
function useBodyParsers(app: NestExpressApplication, config: AppConfig): void {
  const { authBurst, authPerSecond } = config.rateLimits;
  app.use('/api/auth', addressRateLimit(app.get(RateLimitService).tokenBuckets('auth', { burst: authBurst, perSecond: authPerSecond })));
  app.use(jsonBodyParser());
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.use(refuseHostileRequest);
}

/** The built Angular app on the same origin: files as they are, every other page to index.html. */
function serveWebApp(app: NestExpressApplication, webDir: string): void {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) return;
  const files = express.static(webDir, { index: false, maxAge: '1h' });
  const isApi = (path: string) => /^\/(api|health|metrics|socket\.io)(\/|$)/.test(path);
  // API requests skip the file lookup entirely; everything else is a file or the app's index.html.
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    if (isApi(request.path)) return next();
    files(request, response, () => {
      if (request.method === 'GET' && request.accepts('html')) response.sendFile(index);
      else next();
    });
  });
}

/**
 * Names the instance that served each response (INSTANCE_ID, else the hostname), so an operator
 * behind a load balancer can tell which of several instances answered. First in the chain, so that
 * errors from later middleware carry it too.
 */
function instanceHeader(instanceId: string): express.RequestHandler {
  return (_request, response, next) => {
    response.setHeader('X-Parley-Instance', instanceId);
    next();
  };
}
