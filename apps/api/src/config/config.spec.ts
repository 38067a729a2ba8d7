import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_MAX_BYTES_DEFAULT } from '@parley/contracts';
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
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1, 999.0.0.1' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1,' }],
    ['TRUST_PROXY', { TRUST_PROXY: '1000' }],
    ['INSTANCE_ID', { INSTANCE_ID: 'api 1' }],
    ['INSTANCE_ID', { INSTANCE_ID: 'api\r\nSet-Cookie: x=1' }],
    ['JWT_SECRET_FILE', { JWT_SECRET_FILE: '/nonexistent/parley-jwt-secret' }],
    ['DATABASE_URL_FILE', { DATABASE_URL_FILE: '/nonexistent/parley-database-url', JWT_SECRET: 'x'.repeat(40) }],
    ['FILE_MAX_BYTES', { FILE_MAX_BYTES: '100MB' }],
    ['FILE_MAX_BYTES', { FILE_MAX_BYTES: '0' }],
    ['FILE_QUOTA_BYTES', { FILE_QUOTA_BYTES: '-1' }],
    ['FILE_QUOTA_BYTES', { FILE_QUOTA_BYTES: '0' }],
    ['FILE_STORAGE', { FILE_STORAGE: 'ftp' }],
    ['S3_BUCKET', { FILE_STORAGE: 's3' }],
    ['S3_BUCKET', { FILE_STORAGE: 's3', S3_BUCKET: 'Not_A_Bucket' }],
    ['S3_ENDPOINT', { FILE_STORAGE: 's3', S3_BUCKET: 'parley', S3_ENDPOINT: 'minio:9000' }],
    ['S3_SECRET_ACCESS_KEY', { FILE_STORAGE: 's3', S3_BUCKET: 'parley', S3_ACCESS_KEY_ID: 'AKIA' }],
    ['S3_ACCESS_KEY_ID', { FILE_STORAGE: 's3', S3_BUCKET: 'parley', S3_SECRET_ACCESS_KEY: 'secret' }],
    ['S3_FORCE_PATH_STYLE', { FILE_STORAGE: 's3', S3_BUCKET: 'parley', S3_FORCE_PATH_STYLE: 'sometimes' }],
    ['S3_PRESIGNED_DOWNLOADS', { FILE_STORAGE: 's3', S3_BUCKET: 'parley', S3_PRESIGNED_DOWNLOADS: 'maybe' }],
    ['S3_PRESIGNED_DOWNLOADS', { S3_PRESIGNED_DOWNLOADS: 'true' }],
  ];
  it.each(bad)('refuses a bad %s and names it', (variable, env) => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir(), ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('reads TRUST_PROXY as Express reads trust proxy: true/false, a hop count, or trusted proxy addresses', () => {
    const read = (TRUST_PROXY?: string) => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY }).trustProxy;
    expect(read(undefined)).toBe(false);
    expect(read('true')).toBe(true);
    expect(read('no')).toBe(false);
    expect(read('1')).toBe(1);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.1, 172.16.0.0/12,fd00::/8, 192.168.0.0/255.255.0.0, loopback')).toEqual([
      '10.0.0.1',
      '172.16.0.0/12',
      'fd00::/8',
      '192.168.0.0/255.255.0.0',
      'loopback',
    ]);
  });

  it('reads JWT_SECRET, DATABASE_URL and SMTP_URL from the files *_FILE names, and checks what it read', () => {
    const dir = dataDir();
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const config = loadConfig({
      DATA_DIR: dir,
      JWT_SECRET_FILE: file('jwt', `${'s'.repeat(40)}\n`),
      DATABASE_URL_FILE: file('db', 'postgres://parley:from-a-file@db:5432/parley\n'),
      SMTP_URL_FILE: file('smtp', 'smtp://user:pass@mail:587'),
    });
    expect(config).toMatchObject({
      jwtSecret: 's'.repeat(40),
      databaseUrl: 'postgres://parley:from-a-file@db:5432/parley',
      smtpUrl: 'smtp://user:pass@mail:587',
    });
    expect(() =>
      loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40), JWT_SECRET_FILE: file('jwt2', 'y'.repeat(40)) }),
    ).toThrow(/^Invalid configuration: JWT_SECRET_FILE cannot be set together with JWT_SECRET/);
    expect(() => loadConfig({ DATA_DIR: dir, SMTP_URL_FILE: file('smtp2', 'http://mail') })).toThrow(
      /^Invalid configuration: SMTP_URL /,
    );
    expect(() => loadConfig({ DATA_DIR: dir, JWT_SECRET_FILE: file('empty', '\n') })).toThrow(
      /^Invalid configuration: JWT_SECRET_FILE names an empty file/,
    );
  });

  it('keeps files on the local disk under DATA_DIR/files by default, up to FILE_MAX_BYTES_DEFAULT each upload, with no quota', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir }).files).toEqual({
      maxBytes: FILE_MAX_BYTES_DEFAULT,
      quotaBytes: null,
      storage: 'local',
      localDir: join(dir, 'files'),
      tmpDir: join(dir, 'tmp'),
      s3: null,
    });
  });

  it('reads the file limits and the S3 settings', () => {
    const dir = dataDir();
    const files = loadConfig({
      DATA_DIR: dir,
      FILE_MAX_BYTES: '1048576',
      FILE_QUOTA_BYTES: '10737418240',
      FILE_STORAGE: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'parley-files',
      S3_REGION: 'eu-west-1',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'secret-example',
      S3_FORCE_PATH_STYLE: 'true',
      S3_PRESIGNED_DOWNLOADS: 'yes',
    }).files;
    expect(files).toEqual({
      maxBytes: 1_048_576,
      quotaBytes: 10_737_418_240,
      storage: 's3',
      localDir: join(dir, 'files'),
      tmpDir: join(dir, 'tmp'),
      s3: {
        endpoint: 'http://minio:9000',
        bucket: 'parley-files',
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
        forcePathStyle: true,
        presignedDownloads: true,
      },
    });
    // Without keys the SDK's own chain (instance role, AWS_* variables) is used; AWS's endpoint and us-east-1 without S3_ENDPOINT and S3_REGION.
    expect(loadConfig({ DATA_DIR: dir, FILE_STORAGE: 's3', S3_BUCKET: 'parley' }).files.s3).toEqual({
      endpoint: null,
      bucket: 'parley',
      region: 'us-east-1',
      credentials: null,
      forcePathStyle: false,
      presignedDownloads: false,
    });
  });

  it('names the instance after INSTANCE_ID, else the hostname', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).instanceId).toBe(hostname());
    expect(loadConfig({ DATA_DIR: dataDir(), INSTANCE_ID: 'api-2' }).instanceId).toBe('api-2');
  });
});
