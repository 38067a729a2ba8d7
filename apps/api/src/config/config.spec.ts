import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'parley-config-'));

  it('starts with no configuration at all: embedded database, no Redis, mail to the log, port 3000', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      redisUrl: null,
      smtpUrl: null,
      dataDir: dir,
      publicUrl: 'http://localhost:3000',
      corsOrigins: [],
    });
    // The generated JWT secret is kept in the data directory and reused on the next start.
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(config.jwtSecret);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/parley',
      REDIS_URL: 'redis://cache:6379',
      SMTP_URL: 'smtp://mail:25',
      MAIL_FROM: 'Chat <chat@example.com>',
      JWT_SECRET: 'x'.repeat(40),
      AUDIT_KEY: 'a'.repeat(40),
      PUBLIC_URL: 'https://chat.example.com/',
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/parley',
      redisUrl: 'redis://cache:6379',
      smtpUrl: 'smtp://mail:25',
      mailFrom: 'Chat <chat@example.com>',
      auditKey: 'a'.repeat(40),
      publicUrl: 'https://chat.example.com',
      corsOrigins: ['https://a.example.com', 'https://b.example.com'],
    });
  });

  const bad: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/x', JWT_SECRET: 'x'.repeat(40) }],
    ['JWT_SECRET', { DATABASE_URL: 'postgres://db/x' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['AUDIT_KEY', { AUDIT_KEY: 'short' }],
    ['REDIS_URL', { REDIS_URL: 'not a url' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://ok.example.com,not-an-origin' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
  ];
  it.each(bad)('refuses a bad %s and names it', (variable, env) => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir(), ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
