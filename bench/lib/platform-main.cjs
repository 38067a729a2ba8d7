// Parley's app module on a chosen HTTP platform, for scenario 6 (bench/scenarios/platform.mjs):
// BENCH_PLATFORM=express or fastify, the built api in PARLEY_API_DIR (the run's copy of
// dist/api/apps/api/src), configured from the environment like main.js.
//
// Both platforms get the same set-up, which is what createApp (apps/api/src/bootstrap.ts) does
// minus its Express-only middleware: no trust proxy, instance header, helmet headers, per-address
// sign-in limit, depth-checked JSON parser, hostile-input check or web app. Nest's own body parsers
// (JSON and urlencoded) take the place of the app's. Kept: the 'api' prefix, CORS as configured,
// the validation pipe, the exception filter, the Socket.IO adapter, shutdown hooks; the global
// guards (passport's JWT strategy, then access), the audit middleware and interceptor come with
// the module. Swagger is left out (it only serves its own pages).
require('reflect-metadata');
const { join } = require('node:path');
const { NestFactory } = require('@nestjs/core');

const platform = process.env.BENCH_PLATFORM;
const dir = process.env.PARLEY_API_DIR;
if (!['express', 'fastify'].includes(platform) || !dir)
  throw new Error('needs BENCH_PLATFORM=express|fastify and PARLEY_API_DIR');
const api = (path) => require(join(dir, path));
const { AppModule } = api('app.module.js');
const { createLogger } = api('bootstrap.js');
const { loadConfig } = api('config/config.js');
const { HttpExceptionFilter } = api('common/http-exception.filter.js');
const { createValidationPipe } = api('common/validation.js');
const { ParleyIoAdapter } = api('realtime/io-adapter.js');

/**
 * The app's exception filter answers through Express's `setHeader` and `json`; on Fastify the same
 * two are given to the reply, so both platforms run the one filter. (Its hook that audits refused
 * requests is left on the raw request by the audit middleware and is not seen on Fastify; the
 * measured requests all succeed.)
 */
function fastifyAdapter() {
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const adapter = new FastifyAdapter({ bodyLimit: 256 * 1024 });
  const fastify = adapter.getInstance();
  fastify.decorateReply('setHeader', function setHeader(name, value) {
    return this.header(name, value);
  });
  fastify.decorateReply('json', function json(body) {
    return this.send(body);
  });
  return adapter;
}

async function main() {
  const config = loadConfig();
  const options = { logger: createLogger(config), abortOnError: false };
  const module = AppModule.forRoot(config);
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, fastifyAdapter(), options)
      : await NestFactory.create(module, options);
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, exposedHeaders: ['Retry-After'] });
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new ParleyIoAdapter(app, config));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
