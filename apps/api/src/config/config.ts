import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { FILE_MAX_BYTES_DEFAULT } from '@parley/contracts';

/** The validated, typed configuration of one api instance. Read once at start. */
export interface AppConfig {
  port: number;
  host: string;
  /** Unset: the embedded PostgreSQL (PGlite) under `dataDir`. */
  databaseUrl: string | null;
  /** Unset: one instance, presence and fan-out in process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
  redisPrefix: string;
  /** Unset: sign-in codes are printed to the server log. */
  smtpUrl: string | null;
  mailFrom: string;
  jwtSecret: string;
  /** The secret the audit log's HMAC key is derived from; unset: derived from jwtSecret instead. */
  auditKey: string | null;
  dataDir: string;
  publicUrl: string;
  corsOrigins: string[];
  logFormat: 'pretty' | 'json';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /**
   * Express's `trust proxy`: false (the socket's address is the client's), true (the leftmost
   * X-Forwarded-For address), a number of proxy hops, or the addresses/CIDRs of trusted proxies.
   */
  trustProxy: TrustProxy;
  /** Names this instance in the X-Parley-Instance response header (INSTANCE_ID, else the hostname). */
  instanceId: string;
  /** Where the built web app lives (default `dist/web/browser` from the working directory); served on the same origin when present. */
  webDir: string;
  presence: {
    /** How long after the last socket goes a person shows offline (a reload must not flap). */
    offlineGraceMs: number;
    /** Inactivity after which an online person shows away. */
    idleAwayMs: number;
  };
  files: FilesConfig;
  rateLimits: {
    /** Messages a person may send at once before the rate (sendsPerSecond) applies. */
    sendBurst: number;
    sendsPerSecond: number;
    /**
     * Code requests (code/register/login) per email and client address together, per window: what
     * one person asking for their own codes meets. Someone else's requests for that email, from
     * another address, count against their own pair, so they cannot lock the person out.
     */
    codeRequestsPerEmailAddress: number;
    /**
     * Code requests per email from all addresses (only those the pair and address limits let
     * through count), so a spread-out attacker still gets few codes. Higher than the pair limit.
     */
    codeRequestsPerEmail: number;
    /** Code requests per client IP per window. */
    codeRequestsPerIp: number;
    /** Verify attempts per email and client address together, per window. */
    verifyPerEmailAddress: number;
    /** Verify attempts per email from all addresses (those let through by the pair and address limits). */
    verifyPerEmail: number;
    /** Verify attempts per client IP per window. */
    verifyPerIp: number;
    windowSeconds: number;
    /** Requests to /api/auth/* one client address may make at once, counted before the body is read. */
    authBurst: number;
    /** The steady rate after the burst (per second, per address). */
    authPerSecond: number;
  };
}

/** Uploads and where their bytes are kept (issue #14). */
export interface FilesConfig {
  /** FILE_MAX_BYTES: the largest upload (the bytes of the files of one request); 413 FILE_TOO_LARGE past it. */
  maxBytes: number;
  /** FILE_QUOTA_BYTES: what a workspace's files may add up to; null (unset) is no quota. */
  quotaBytes: number | null;
  /** FILE_STORAGE: `local` keeps the bytes under DATA_DIR/files, `s3` in an S3-compatible bucket. */
  storage: 'local' | 's3';
  /** DATA_DIR/files */
  localDir: string;
  /** DATA_DIR/tmp: uploads are streamed here while they are hashed and sniffed. */
  tmpDir: string;
  /** Set when storage is `s3`. */
  s3: S3Config | null;
}

export interface S3Config {
  /** S3_ENDPOINT; null: AWS itself. */
  endpoint: string | null;
  bucket: string;
  region: string;
  /** S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY; null: the SDK's default chain (instance role, env). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** S3_PRESIGNED_DOWNLOADS: downloads answer 302 to a presigned URL (60 s) after the access check. */
  presignedDownloads: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

export type TrustProxy = boolean | number | string[];

/** Secrets that may also come from a file (`<NAME>_FILE`), as Docker and Kubernetes secrets are mounted. */
const FILE_VARIABLES = ['JWT_SECRET', 'AUDIT_KEY', 'DATABASE_URL', 'SMTP_URL', 'S3_SECRET_ACCESS_KEY'] as const;

/** The environment with every `<NAME>_FILE` replaced by the file's content as `<NAME>`. */
function withSecretFiles(env: Env): Env {
  const resolved: Env = { ...env };
  for (const name of FILE_VARIABLES) {
    const file = str(env, `${name}_FILE`);
    if (file === null) continue;
    if (str(env, name) !== null) throw new ConfigError(`${name}_FILE`, `cannot be set together with ${name}`);
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `${name}_FILE`,
        `names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${file}`,
      );
    }
    if (!resolved[name]) throw new ConfigError(`${name}_FILE`, `names an empty file: ${file}`);
  }
  return resolved;
}

function str(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = str(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')}), got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name);
  if (raw === null) return fallback;
  const lower = raw.toLowerCase();
  if (['true', 'yes', '1'].includes(lower)) return true;
  if (['false', 'no', '0'].includes(lower)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** FILE_* and S3_*: S3_BUCKET is needed with FILE_STORAGE=s3, and the two keys come together or not at all. */
function filesConfig(env: Env, dataDir: string): FilesConfig {
  const maxBytes = int(env, 'FILE_MAX_BYTES', FILE_MAX_BYTES_DEFAULT, 1, Number.MAX_SAFE_INTEGER);
  const quota = str(env, 'FILE_QUOTA_BYTES');
  const storage = oneOf(env, 'FILE_STORAGE', ['local', 's3'] as const, 'local');
  let s3: S3Config | null = null;
  if (storage === 's3') {
    const bucket = str(env, 'S3_BUCKET');
    if (bucket === null) throw new ConfigError('S3_BUCKET', 'is required when FILE_STORAGE=s3');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('S3_BUCKET', `must be a bucket name (3-63 lowercase letters, digits, dots, dashes), got "${bucket}"`);
    const accessKeyId = str(env, 'S3_ACCESS_KEY_ID');
    const secretAccessKey = str(env, 'S3_SECRET_ACCESS_KEY');
    if ((accessKeyId === null) !== (secretAccessKey === null)) {
      throw new ConfigError(accessKeyId === null ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY', 'must be set together with its pair (or neither, for the default credential chain)');
    }
    s3 = {
      endpoint: url(env, 'S3_ENDPOINT', ['http', 'https']),
      bucket,
      region: str(env, 'S3_REGION') ?? 'us-east-1',
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
      forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
      presignedDownloads: bool(env, 'S3_PRESIGNED_DOWNLOADS', false),
    };
  } else if (str(env, 'S3_PRESIGNED_DOWNLOADS') !== null && bool(env, 'S3_PRESIGNED_DOWNLOADS', false)) {
    throw new ConfigError('S3_PRESIGNED_DOWNLOADS', 'needs FILE_STORAGE=s3');
  }
  return {
    maxBytes,
    quotaBytes: quota === null ? null : int(env, 'FILE_QUOTA_BYTES', 0, 1, Number.MAX_SAFE_INTEGER),
    storage,
    localDir: join(dataDir, 'files'),
    tmpDir: join(dataDir, 'tmp'),
    s3,
  };
}

/** Express's named ranges for `trust proxy`. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or an address with a dotted netmask, as Express accepts them. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, mask, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (mask === undefined) return true;
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}

/**
 * TRUST_PROXY as Express reads `trust proxy`: true/false, a hop count (how many proxies in front
 * of the api, e.g. 1 behind one nginx), or a comma-separated list of trusted proxy addresses.
 */
function trustProxy(env: Env): TrustProxy {
  const name = 'TRUST_PROXY';
  const raw = str(env, name);
  if (raw === null) return false;
  const lower = raw.toLowerCase();
  if (['true', 'yes'].includes(lower)) return true;
  if (['false', 'no'].includes(lower)) return false;
  if (/^\d+$/.test(raw)) return int(env, name, 0, 0, 100);
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      throw new ConfigError(
        name,
        `must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDRs (or loopback, linklocal, uniquelocal), got "${entry}"`,
      );
    }
  }
  return entries;
}

/** INSTANCE_ID, else the hostname: goes into a response header, so only header-safe characters. */
function instanceId(env: Env): string {
  const id = str(env, 'INSTANCE_ID') ?? hostname();
  if (!/^[\w.:-]{1,100}$/.test(id)) {
    throw new ConfigError('INSTANCE_ID', `must be 1 to 100 letters, digits, dots, colons, dashes or underscores, got "${id}"`);
  }
  return id;
}

/**
 * In embedded mode the JWT secret is generated once and kept in the data directory,
 * so sessions survive restarts without any configuration.
 */
function embeddedJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(rawEnv: Env = process.env): AppConfig {
  const env = withSecretFiles(rawEnv);
  const port = int(env, 'PORT', 3000, 0, 65535);
  const dataDir = resolve(str(env, 'DATA_DIR') ?? './data');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres', 'postgresql']);
  const publicUrl = (url(env, 'PUBLIC_URL', ['http', 'https']) ?? `http://localhost:${port}`).replace(/\/$/, '');

  let jwtSecret = str(env, 'JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  if (jwtSecret === null) {
    if (databaseUrl !== null) throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set');
    jwtSecret = embeddedJwtSecret(dataDir);
  }

  // Kept apart from JWT_SECRET so that rotating the one does not make the older audit log unverifiable.
  const auditKey = str(env, 'AUDIT_KEY');
  if (auditKey !== null && auditKey.length < 32) {
    throw new ConfigError('AUDIT_KEY', 'must be at least 32 characters long');
  }

  const corsOrigins = (str(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `must be a comma-separated list of origins like https://chat.example.com, got "${origin}"`,
      );
    }
  }

  return {
    port,
    host: str(env, 'HOST') ?? '0.0.0.0',
    databaseUrl,
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    redisPrefix: str(env, 'REDIS_PREFIX') ?? 'parley',
    smtpUrl: url(env, 'SMTP_URL', ['smtp', 'smtps']),
    mailFrom: str(env, 'MAIL_FROM') ?? 'Parley <no-reply@parley.local>',
    jwtSecret,
    auditKey,
    dataDir,
    publicUrl,
    corsOrigins,
    logFormat: oneOf(env, 'LOG_FORMAT', ['pretty', 'json'] as const, 'pretty'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
    trustProxy: trustProxy(env),
    instanceId: instanceId(env),
    webDir: resolve(str(env, 'WEB_DIR') ?? 'dist/web/browser'),
    presence: {
      offlineGraceMs: int(env, 'PRESENCE_OFFLINE_GRACE_MS', 5000, 0, 600_000),
      idleAwayMs: int(env, 'PRESENCE_IDLE_AWAY_MS', 600_000, 1000, 86_400_000),
    },
    files: filesConfig(env, dataDir),
    rateLimits: {
      sendBurst: int(env, 'RATE_LIMIT_SEND_BURST', 20, 1, 100_000),
      sendsPerSecond: int(env, 'RATE_LIMIT_SENDS_PER_SECOND', 10, 1, 100_000),
      codeRequestsPerEmailAddress: int(env, 'RATE_LIMIT_CODE_PER_EMAIL_ADDRESS', 5, 1, 1_000_000),
      codeRequestsPerEmail: int(env, 'RATE_LIMIT_CODE_PER_EMAIL', 15, 1, 1_000_000),
      codeRequestsPerIp: int(env, 'RATE_LIMIT_CODE_PER_IP', 50, 1, 1_000_000),
      verifyPerEmailAddress: int(env, 'RATE_LIMIT_VERIFY_PER_EMAIL_ADDRESS', 15, 1, 1_000_000),
      verifyPerEmail: int(env, 'RATE_LIMIT_VERIFY_PER_EMAIL', 30, 1, 1_000_000),
      verifyPerIp: int(env, 'RATE_LIMIT_VERIFY_PER_IP', 100, 1, 1_000_000),
      windowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 900, 1, 86_400),
      authBurst: int(env, 'RATE_LIMIT_AUTH_BURST', 100, 1, 1_000_000),
      authPerSecond: int(env, 'RATE_LIMIT_AUTH_PER_SECOND', 5, 1, 1_000_000),
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
