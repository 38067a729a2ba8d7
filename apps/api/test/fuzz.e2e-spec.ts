import { randomUUID } from 'node:crypto';
import http from 'node:http';
import 'reflect-metadata';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { Ack, CLIENT_EVENT_NAMES, ClientEventName, CreatedInviteDto, MessageDto, UploadResult } from '@parley/contracts';
import fc from 'fast-check';
import { sign } from 'jsonwebtoken';
import { io } from 'socket.io-client';
import request from 'supertest';
import { REFUSED_BY_DATABASE } from '@api/common/db-errors';
import { MAX_SOCKET_FRAME_BYTES } from '@api/realtime/io-adapter';
import { RealtimeGateway } from '@api/realtime/realtime.gateway';
import { MailService } from '@api/mail/mail.service';
import { Person, person } from './support/api-client';
import { signIn } from './support/sign-in';
import { SmtpSink } from './support/smtp-sink';
import { callRaw, connectSocket } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * Property-based fuzzing of the whole edge: every operation of the generated OpenAPI document
 * and every client socket event, with hostile and valid inputs mixed, authenticated and not.
 * Fails on any 5xx, on any answer in the database's words (or saying validation missed what the
 * database refused), on a socket event answered without `{ ok: … }`, and on a /health that
 * stops answering. Runs on the first database mode available (PostgreSQL in CI).
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> (FUZZ_RUNS scales the runs).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SOCKET_RUNS = RUNS * 4;
const HANDSHAKE_RUNS = RUNS;
const ANSWER_TIMEOUT_MS = 10_000;

/** Words only PostgreSQL uses: none may reach a client. */
const POSTGRES_TEXT =
  /invalid input syntax|violates .*constraint|out of range for type|relation "|column "|syntax error at|unterminated|invalid byte sequence|character with value|22P02|23502|QueryFailedError/i;

// ---------------------------------------------------------------------------------------------
// The OpenAPI document, as much of it as the fuzzer reads.

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  nullable?: boolean;
  example?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** The operation takes multipart/form-data (an upload): it also gets multipart bodies, well-formed and not. */
  multipart: boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHOD_ORDER.includes(method)) continue;
      operations.push({
        method,
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
        multipart: operation.requestBody?.content?.['multipart/form-data'] !== undefined,
      });
    }
  }
  // Reads first, removals last, signing out at the very end: the fixture lives as long as it can.
  const rank = (o: Operation) => METHOD_ORDER.indexOf(o.method) + (o.path.endsWith('/logout') ? 10 : 0);
  return operations.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------------------------------------
// Values: valid ones from the schema and the fixture, hostile ones from everywhere.

/** Ids that exist, so valid-looking requests reach the services and the database. */
interface Fixture {
  owner: Person;
  member: Person;
  workspaceId: string;
  channelId: string;
  roleId: string;
  inviteId: string;
  inviteToken: string;
  messageId: string;
  fileId: string;
  otherSessionId: string;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud800y',
  '\udc00\ud800',
  '🦊',
  'x'.repeat(20_000),
  '../../etc/passwd',
  '%',
  '%00',
  '%ED%A0%80',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'true',
  '-1',
  '0',
  '1.5',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '1e400',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  'prototype',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-00000000000g',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{}',
  '[]',
  '2026-13-45T99:99:99Z',
  '0000-01-01T00:00:00Z',
  '275760-09-13T00:00:00.001Z',
  'a@b',
  'A@EXAMPLE.COM',
  '\t\n\r',
  '\u202e\u200b',
];

const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 63,
  9223372036854775807,
  2 ** 64,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  -1e308,
];

/** What PostgreSQL cannot store in text: the reason for most 500s this test was written for. */
const UNSTORABLE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud800y', '\udc00\ud800', '🦊\ud83e'];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNSTORABLE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  },
  { weight: 1, arbitrary: fc.uuid() },
);

const hostileNumber = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** `depth` nested arrays around a value. */
const nest = (depth: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  // Printed short in a counterexample (fast-check's own printer would overflow the stack).
  Object.defineProperty(value, fc.toStringMethod, { value: () => `nest(${depth})` });
  return value;
};

const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: hostileString },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(nest(31), nest(40), nest(3000), {}, [], [null]) },
  ),
})).value;

/** Valid values for a schema, using ids that exist; the fixture decides which. */
function validValue(
  schema: Schema | undefined,
  fixture: Fixture,
  components: Record<string, Schema>,
  depth = 0,
  name = '',
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (!s || depth > 4) return fc.constant(undefined);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      if (s.format === 'email' || /email/i.test(name)) {
        return fc.constantFrom(
          fixture.member.email,
          fixture.owner.email,
          `fuzz-${randomUUID().slice(0, 8)}@example.com`,
          'nobody@example.com',
        );
      }
      if (name === 'code') return fc.stringMatching(/^\d{6}$/);
      if (name === 'refreshToken') return fc.constantFrom(fixture.owner.auth.refreshToken, 'not-a-refresh-token');
      if (s.example !== undefined && typeof s.example === 'string')
        return fc.oneof(fc.constant(s.example), fc.string({ minLength: 1, maxLength: Math.min(s.maxLength ?? 40, 40) }));
      if (s.format === 'uuid')
        return fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...idsNamed(name, fixture)) },
          { weight: 1, arbitrary: fc.uuid() },
        );
      if (s.format === 'email')
        return fc.constantFrom(fixture.member.email, `fuzz-${randomUUID().slice(0, 8)}@example.com`, 'nobody@example.com');
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.pattern)
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 80));
      return fc.string({ minLength: Math.min(s.minLength ?? 1, 5), maxLength: Math.min(s.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 1000) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items, fixture, components, depth + 1, name), { minLength: 1, maxLength: 3 });
    case 'object':
    default:
      if (!s.properties)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 2 });
      return objectOf(s, fixture, components, depth);
  }
}

/** An object for a schema: each field valid or hostile, optional ones sometimes left out; rarely an unknown field. */
function objectOf(
  schema: Schema,
  fixture: Fixture,
  components: Record<string, Schema>,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {}).map(
    ([name, field]) => [name, validValue(field, fixture, components, depth + 1, name)] as const,
  );
  return mutated(fields, schema.required ?? []);
}

/**
 * Objects built from valid fields: all valid (to reach the services), exactly one field hostile
 * and the rest valid (to reach the code behind each field's validation), or a mix; rarely with
 * an unknown field (a `__proto__` key among them).
 */
function mutated(
  fields: (readonly [string, fc.Arbitrary<unknown>])[],
  required: string[],
): fc.Arbitrary<Record<string, unknown>> {
  const valid = fc.record(Object.fromEntries(fields), { requiredKeys: required });
  const variants: fc.WeightedArbitrary<Record<string, unknown>>[] = [{ weight: 2, arbitrary: valid }];
  if (fields.length) {
    const names = fields.map(([name]) => name);
    variants.push(
      {
        weight: 5,
        arbitrary: fc
          .tuple(valid, fc.constantFrom(...names), hostileValue)
          .map(([record, name, bad]) => ({ ...record, [name]: bad })),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          Object.fromEntries(
            fields.map(([name, good]) => [
              name,
              fc.oneof({ weight: 2, arbitrary: good }, { weight: 1, arbitrary: hostileValue }),
            ]),
          ),
          { requiredKeys: [] },
        ),
      },
    );
  }
  return fc
    .tuple(fc.oneof(...variants), rarely(fc.tuple(fc.oneof(fc.constant('__proto__'), hostileString), hostileValue)))
    .map(([record, extra]) => (extra ? { ...record, [extra[0]]: extra[1] } : record));
}

/** The value one time in `odds`, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, odds = 8): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: odds - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    if (s.$ref) s = components[s.$ref.replace('#/components/schemas/', '')];
    else if (s.allOf?.length === 1) s = s.allOf[0];
    else if (s.oneOf?.length) s = s.oneOf[0];
    else if (s.anyOf?.length) s = s.anyOf[0];
    else return s;
  }
  return s;
}

/** The ids a field of this name most likely wants (by its name), else any. */
function idsNamed(name: string, f: Fixture): string[] {
  if (name === 'threadRootId') return [f.messageId];
  if (name === 'roleId') return [f.roleId];
  if (name === 'channelId') return [f.channelId];
  if (/^(userIds?|actorId)$/.test(name)) return [f.member.id, f.owner.id];
  return ids(f);
}

const ids = (f: Fixture) => [
  f.workspaceId,
  f.channelId,
  f.roleId,
  f.inviteId,
  f.messageId,
  f.fileId,
  f.owner.id,
  f.member.id,
  f.otherSessionId,
];

/** The id that belongs in a path parameter, by its name and the segment before it. */
function pathValue(path: string, name: string, f: Fixture): string[] {
  const before = path.split(`{${name}}`)[0].split('/').filter(Boolean).pop();
  if (name === 'token') return [f.inviteToken];
  if (name === 'userId') return [f.member.id, f.owner.id];
  if (name === 'roleId') return [f.roleId];
  if (name === 'inviteId') return [f.inviteId];
  if (before === 'workspaces') return [f.workspaceId];
  if (before === 'channels') return [f.channelId];
  if (before === 'sessions') return [f.otherSessionId];
  if (before === 'messages') return [f.messageId];
  if (before === 'files') return [f.fileId];
  return ids(f);
}

/** Percent-encodes anything, lone surrogates included (as the WTF-8 bytes a hostile client would send). */
function encodeHostile(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** A query value as a client would put it in a URL: scalars as text, arrays repeated, objects as a[b]=. */
function queryPairs(name: string, value: unknown, depth = 0): [string, string][] {
  if (value === undefined) return [];
  if (depth < 3 && Array.isArray(value)) return value.slice(0, 5).flatMap((item) => queryPairs(name, item, depth + 1));
  if (depth < 3 && value !== null && typeof value === 'object') {
    return Object.entries(value)
      .slice(0, 3)
      .flatMap(([k, v]) => queryPairs(`${name}[${k}]`, v, depth + 1));
  }
  return [[name, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]];
}

// ---------------------------------------------------------------------------------------------
// Requests.

/** Bodies that are not JSON, or JSON a parser should think twice about. */
const RAW_BODIES = [
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '{"a":1}}',
  '{"a":1,"a":2}',
  '"just a string"',
  '42',
  'null',
  '\u0000',
  '{"__proto__":{"admin":true,"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"seq":1e999,"after":-1e999}',
  '{"seq":123456789012345678901234567890}',
  '{"text":"\\ud800","displayName":"\\u0000"}',
  `{"email":${'{"a":'.repeat(2999)}1${'}'.repeat(2999)}}`,
  `${'['.repeat(33)}${']'.repeat(33)}`,
  '\ufeff{"email":"a@example.com"}',
];

/** Socket payloads as raw frame text: broken JSON, numbers JSON cannot hold, nesting too deep for socket.io-client. */
const RAW_FRAMES = [
  '{',
  '{"channelId":',
  '[1,2',
  'nul',
  '"\\u0000"',
  '"\\ud800"',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"seq":1e999,"channelId":"00000000-0000-0000-0000-000000000000"}',
  '{"seq":123456789012345678901234567890}',
  `{"cursors":${'['.repeat(25_000)}${']'.repeat(25_000)}}`,
];

type BodyKind = { kind: 'json'; text: string } | { kind: 'raw'; text: string; contentType: string } | { kind: 'none' };

const BOUNDARY = 'fuzzboundary';

/**
 * Multipart bodies for an upload: parts named `file` (or not) with hostile file names and
 * contents, sometimes several, sometimes cut off, the boundary sometimes wrong.
 */
const multipartBody: fc.Arbitrary<BodyKind> = fc
  .tuple(
    fc.array(
      fc.record({
        field: fc.constantFrom('file', 'file', 'file', 'other', ''),
        name: fc.oneof(hostileString, fc.constantFrom('a.png', '../../etc/passwd', 'x\u202Egnp.exe', '.htaccess', '')),
        type: fc.constantFrom('image/png', 'text/html', 'application/octet-stream', ''),
        content: fc.oneof(hostileString, fc.constantFrom('\x89PNG\r\n\x1a\n', '<script>alert(1)</script>', 'GIF89a', '')),
        filePart: fc.boolean(),
      }),
      { minLength: 0, maxLength: 12 },
    ),
    fc.constantFrom('end', 'end', 'end', 'cut', 'no-end'),
    fc.constantFrom(BOUNDARY, BOUNDARY, BOUNDARY, 'other'),
  )
  .map(([parts, ending, boundary]): BodyKind => {
    const text =
      parts
        .map((part) => {
          const disposition = `form-data; name="${part.field}"${part.filePart ? `; filename="${part.name.replace(/["\r\n]/g, '')}"` : ''}`;
          return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n${part.content}\r\n`;
        })
        .join('') + (ending === 'end' ? `--${BOUNDARY}--\r\n` : '');
    return { kind: 'raw', text: ending === 'cut' ? text.slice(0, Math.max(0, text.length - 7)) : text, contentType: `multipart/form-data; boundary=${boundary}` };
  });

function bodyOf(operation: Operation, fixture: Fixture, components: Record<string, Schema>): fc.Arbitrary<BodyKind> {
  if (operation.multipart) return fc.oneof({ weight: 6, arbitrary: multipartBody }, { weight: 1, arbitrary: jsonOrRawBody(operation, fixture, components) });
  return jsonOrRawBody(operation, fixture, components);
}

function jsonOrRawBody(operation: Operation, fixture: Fixture, components: Record<string, Schema>): fc.Arbitrary<BodyKind> {
  const schemaBody = operation.body ? validValue(operation.body, fixture, components) : hostileValue;
  const json = (value: unknown): BodyKind => ({ kind: 'json', text: JSON.stringify(value) ?? 'null' });
  return fc.oneof(
    { weight: 8, arbitrary: schemaBody.map(json) },
    // The same body with a __proto__ key up front (JSON.stringify cannot write one).
    {
      weight: 1,
      arbitrary: fc.tuple(schemaBody, hostileValue).map(([value, proto]): BodyKind => {
        const text = JSON.stringify(value) ?? 'null';
        const rest = text.startsWith('{') && text !== '{}' ? `,${text.slice(1)}` : '}';
        return { kind: 'json', text: `{"__proto__":${JSON.stringify(proto) ?? 'null'}${rest}` };
      }),
    },
    { weight: 2, arbitrary: hostileValue.map(json) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...RAW_BODIES).map((text): BodyKind => ({ kind: 'raw', text, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=utf-16',
            'application/xml',
            'multipart/form-data',
          ),
          hostileString,
        )
        .map(([contentType, text]): BodyKind => ({
          kind: 'raw',
          text: contentType.includes('urlencoded') ? `email=${encodeHostile(text)}&a[b]=1` : text,
          contentType,
        })),
    },
    { weight: 1, arbitrary: fc.constant<BodyKind>({ kind: 'none' }) },
  );
}

type Auth = 'owner' | 'member' | 'none' | 'garbage';

interface Attempt {
  auth: Auth;
  path: string;
  body: BodyKind;
}

interface Answer {
  status: number;
  text: string;
}

// A connection per request: a hang-up is then the fault of the request that got it, not of a reused idle socket.
const agent = new http.Agent({ keepAlive: false });

/** One raw HTTP request (no client normalises the path or the body). */
function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolvePromise, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: method.toUpperCase(),
        path,
        // Framed by length, so a GET with a body is one request, not a request and some garbage.
        headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent,
        timeout: ANSWER_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolvePromise({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** What is wrong with an answer, or null when it is a fine answer to hostile input. */
function problemWith(answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status >= 400) {
    if (POSTGRES_TEXT.test(answer.text)) return `answered in the database's words: ${answer.text.slice(0, 300)}`;
    if (answer.text.includes(REFUSED_BY_DATABASE))
      return `validation let through what the database refused: ${answer.text.slice(0, 300)}`;
  }
  return null;
}

/** Whether a value holds what the edge must refuse: NUL, an unpaired surrogate (in a string or key), or nesting deeper than 32. */
function refusable(value: unknown, depth = 0): boolean {
  if (typeof value === 'string')
    return /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= 32) return true;
  return Object.entries(value).some(([key, item]) => refusable(key) || refusable(item, depth + 1));
}

/** A request carrying what the edge must refuse must be refused (400), whoever sends it, to any path. */
function mustRefuse(path: string, body: BodyKind, answer: Answer): string | null {
  let parsed: unknown;
  try {
    parsed = body.kind === 'json' ? JSON.parse(body.text) : undefined;
  } catch {
    parsed = undefined;
  }
  // %00 decodes to NUL in a path or query; WTF-8 surrogates in a URL decode to U+FFFD, which is storable.
  const refuse = refusable(parsed) || /%00/.test(path);
  // Sizes are checked first (431, 413), and sign-in requests are counted before they are read (429).
  if (!refuse || [400, 413, 429, 431].includes(answer.status)) return null;
  return `answered ${answer.status} to input it must refuse: ${answer.text.slice(0, 200)}`;
}

describe.each(databaseModes().slice(0, 1))('fuzzing every operation and socket event (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let fixture: Fixture;
  let document: OpenApiDocument;
  let failures: string[] = [];

  const makeFixture = async (owner?: Person, member?: Person): Promise<Fixture> => {
    owner ??= await person(t.url, sink, 'Fuzz Owner');
    member ??= await person(t.url, sink, 'Fuzz Member');
    const ws = await owner.createWorkspace(`Fuzz ${randomUUID().slice(0, 6)}`);
    await owner.invite(ws.id, member);
    const channel = await owner.createChannel(ws.id, `fuzz-${randomUUID().slice(0, 6)}`);
    await member.post(`/api/channels/${channel.id}/join`).expect(200);
    const role = (
      await owner.post(`/api/workspaces/${ws.id}/roles`, { name: `R${randomUUID().slice(0, 6)}`, permissions: [] }).expect(201)
    ).body as { id: string };
    const invite = (
      await owner
        .post(`/api/workspaces/${ws.id}/invites`, { email: `pending-${randomUUID().slice(0, 8)}@example.com` })
        .expect(201)
    ).body as CreatedInviteDto;
    const message = (
      await owner.post(`/api/channels/${channel.id}/messages`, { text: 'seed', clientMsgId: randomUUID() }).expect(201)
    ).body as MessageDto;
    const spare = await signIn(t.url, sink, owner.email);
    const upload = await request(t.url)
      .post(`/api/channels/${channel.id}/files`)
      .auth(owner.auth.accessToken, { type: 'bearer' })
      .attach('file', Buffer.from('seed file'), 'seed.txt')
      .expect(201);
    return {
      owner,
      member,
      workspaceId: ws.id,
      channelId: channel.id,
      roleId: role.id,
      inviteId: invite.id,
      inviteToken: invite.token,
      messageId: message.id,
      fileId: (upload.body as UploadResult).files[0].id,
      otherSessionId: JSON.parse(Buffer.from(spare.accessToken.split('.')[1], 'base64url').toString()).sid as string,
    };
  };

  /** A fuzzed removal or sign-out may have eaten the fixture: sign in again or build a new one. */
  const ensureFixture = async () => {
    const owner = await fixture.owner.get('/api/users/me');
    const member = await fixture.member.get('/api/users/me');
    const workspace = owner.status === 200 ? await fixture.owner.get(`/api/workspaces/${fixture.workspaceId}`) : owner;
    if (owner.status === 200 && member.status === 200 && workspace.status === 200) {
      // A fuzzed leave, archive or removal may have taken the owner out of the channel.
      const channel = await fixture.owner.get(`/api/channels/${fixture.channelId}`);
      const members = await fixture.owner.get(`/api/workspaces/${fixture.workspaceId}/members`);
      const memberActive =
        members.status === 200 &&
        (members.body as { userId: string; state: string }[]).some((m) => m.userId === fixture.member.id && m.state === 'active');
      if (channel.status === 200 && memberActive) {
        if ((channel.body as { archivedAt: string | null }).archivedAt)
          await fixture.owner.post(`/api/channels/${fixture.channelId}/unarchive`).expect(200);
        if (!(channel.body as { member: boolean }).member)
          await fixture.owner.post(`/api/channels/${fixture.channelId}/join`).expect(200);
        return;
      }
    }
    const again = async (p: Person, status: number) => (status === 200 ? p : new Person(t.url, await signInAgain(p.email)));
    fixture = await makeFixture(await again(fixture.owner, owner.status), await again(fixture.member, member.status));
  };

  /**
   * Signs a fixture person in again after the fuzzing signed them out. The fuzzing also asked for
   * codes for that email, and those mails go out after the answers, one by one: the code read
   * must be the new one, so the queue is let empty first.
   */
  const signInAgain = async (email: string) => {
    await t.app.get(MailService).idle();
    return signIn(t.url, sink, email);
  };

  const expectHealthy = async (after: string) => {
    const started = Date.now();
    const answer = await send(t.url, 'get', '/health', {}).catch((error: Error) => ({ status: 0, text: error.message }));
    if (answer.status !== 200 || Date.now() - started > 3000)
      failures.push(`/health after ${after}: ${answer.status} in ${Date.now() - started} ms`);
  };

  const record = <T>(what: string, details: fc.RunDetails<T>) => {
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      failures.push(`${what}: ${error}\n${fc.defaultReportMessage(details)}`);
    }
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: {
        SMTP_URL: sink.url,
        // Most fuzzed requests must reach validation and the services, not a rate limit.
        RATE_LIMIT_CODE_PER_EMAIL_ADDRESS: '1000000',
        RATE_LIMIT_CODE_PER_EMAIL: '1000000',
        RATE_LIMIT_CODE_PER_IP: '1000000',
        RATE_LIMIT_VERIFY_PER_EMAIL_ADDRESS: '1000000',
        RATE_LIMIT_VERIFY_PER_EMAIL: '1000000',
        RATE_LIMIT_VERIFY_PER_IP: '1000000',
        RATE_LIMIT_SEND_BURST: '100000',
        RATE_LIMIT_SENDS_PER_SECOND: '100000',
        LOG_LEVEL: 'error',
      },
    });
    fixture = await makeFixture();
    document = JSON.parse((await send(t.url, 'get', '/api/docs-json', {})).text) as OpenApiDocument;
  });

  beforeEach(() => {
    failures = [];
  });

  afterAll(async () => {
    agent.destroy();
    await t?.close();
    await sink?.stop();
  }, 60_000);

  it('has a socket handler for exactly the contract’s client events', () => {
    const prototype = RealtimeGateway.prototype as unknown as Record<string, unknown>;
    const handled = Object.getOwnPropertyNames(prototype)
      .map((name) =>
        typeof prototype[name] === 'function'
          ? (Reflect.getMetadata(MESSAGE_METADATA, prototype[name] as object) as string | undefined)
          : undefined,
      )
      .filter((name): name is string => typeof name === 'string');
    expect([...handled].sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
  });

  it('answers every operation of the OpenAPI document with no 5xx, authenticated or not', async () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(30);
    const components = document.components?.schemas ?? {};
    const started = Date.now();
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const operation of operations) {
      await ensureFixture();
      const f = fixture;
      // From the template itself: a parameter read by a decorator of ours is not always documented.
      const pathParams = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name }));
      const queryParams = operation.parameters.filter((p) => p.in === 'query');
      const path = fc
        .tuple(
          ...pathParams.map((p) =>
            fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...pathValue(operation.path, p.name, f)) },
              { weight: 1, arbitrary: hostileString },
            ),
          ),
        )
        .map((values) =>
          pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, encodeHostile(values[i])), operation.path),
        );
      const query = fc
        .tuple(
          fc.tuple(
            ...queryParams.map((p) =>
              fc.option(
                fc.oneof(
                  { weight: 4, arbitrary: validValue(p.schema, f, components, 0, p.name) },
                  { weight: 1, arbitrary: hostileValue },
                ),
                {
                  freq: p.required ? 20 : 3,
                },
              ),
            ),
          ),
          rarely(fc.tuple(hostileString, hostileValue)),
        )
        .map(([values, extra]) => {
          const pairs = queryParams.flatMap((p, i) => (values[i] === null ? [] : queryPairs(p.name, values[i])));
          if (extra) pairs.push(...queryPairs(extra[0] || 'x', extra[1]));
          return pairs.length ? `?${pairs.map(([k, v]) => `${encodeHostile(k)}=${encodeHostile(v)}`).join('&')}` : '';
        });
      const attempt: fc.Arbitrary<Attempt> = fc.record({
        auth: fc.constantFrom<Auth>('owner', 'owner', 'owner', 'member', 'none', 'garbage'),
        path: fc.tuple(path, query).map(([p, q]) => p + q),
        body:
          operation.method === 'get' || operation.method === 'delete'
            ? fc.oneof(
                { weight: 5, arbitrary: fc.constant<BodyKind>({ kind: 'none' }) },
                { weight: 1, arbitrary: bodyOf(operation, f, components) },
              )
            : bodyOf(operation, f, components),
      });
      const byOperation = new Map<number, number>();
      const details = await fc.check(
        fc.asyncProperty(attempt, async ({ auth, path, body }) => {
          const headers: Record<string, string> = {};
          if (auth === 'owner' || auth === 'member')
            headers.Authorization = `Bearer ${(auth === 'owner' ? f.owner : f.member).auth.accessToken}`;
          if (auth === 'garbage') headers.Authorization = 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
          let text: string | undefined;
          if (body.kind === 'json') [headers['Content-Type'], text] = ['application/json', body.text];
          if (body.kind === 'raw') [headers['Content-Type'], text] = [body.contentType, body.text];
          const answer = await send(t.url, operation.method, `/${path.replace(/^\/+/, '')}`, headers, text);
          requests++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          byOperation.set(answer.status, (byOperation.get(answer.status) ?? 0) + 1);
          if (process.env.FUZZ_VERBOSE === '2')
            process.stdout.write(
              `[fuzz]   ${auth} ${operation.method.toUpperCase()} ${path.slice(0, 120)} ${body.kind === 'none' ? '' : body.text.slice(0, 120)} → ${answer.status} ${answer.text.slice(0, 120)}\n`,
            );
          const problem = problemWith(answer) ?? mustRefuse(path, body, answer);
          if (problem) throw new Error(`${operation.method.toUpperCase()} ${path}: ${problem}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      record(`${operation.method.toUpperCase()} ${operation.path}`, details);
      if (process.env.FUZZ_VERBOSE)
        process.stdout.write(
          `[fuzz] ${operation.method.toUpperCase()} ${operation.path} ${JSON.stringify(Object.fromEntries(byOperation))}\n`,
        );
      await expectHealthy(`${operation.method.toUpperCase()} ${operation.path}`);
    }
    // The fuzzer must mostly reach validation and beyond, not bounce off a rate limit.
    const limited = statuses.get(429) ?? 0;
    expect(limited / requests).toBeLessThan(0.05);
    process.stdout.write(
      `[fuzz] ${requests} requests over ${operations.length} operations in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
    );
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers every client socket event with { ok } (or closes on an oversized frame)', async () => {
    await ensureFixture();
    const f = fixture;
    let socket = await connectSocket(t.url, f.owner.auth.accessToken);
    const channelId = fc.constantFrom(f.channelId, f.channelId, f.workspaceId, randomUUID());
    const messageId = fc.constantFrom(f.messageId, f.messageId, f.channelId, randomUUID());
    const reactionFields: (readonly [string, fc.Arbitrary<unknown>])[] = [
      ['messageId', messageId],
      ['emoji', fc.oneof(fc.constantFrom('👍', '+1', ':tada:', 'thumbsup'), fc.string({ maxLength: 8 }))],
    ];
    // Valid fields of each event (the contract has only types): a Record, so a new event must be listed.
    const shapes: Record<ClientEventName, [(readonly [string, fc.Arbitrary<unknown>])[], string[]]> = {
      sendMessage: [
        [
          ['channelId', channelId],
          ['text', fc.string({ minLength: 1, maxLength: 30 })],
          ['clientMsgId', fc.uuid()],
          ['threadRootId', fc.constantFrom(f.messageId, randomUUID())],
        ],
        ['channelId', 'text', 'clientMsgId'],
      ],
      typingStart: [[['channelId', channelId]], ['channelId']],
      typingStop: [[['channelId', channelId]], ['channelId']],
      markRead: [
        [
          ['channelId', channelId],
          ['seq', fc.integer({ min: 0, max: 100 })],
        ],
        ['channelId', 'seq'],
      ],
      setStatus: [[['status', fc.constantFrom('online', 'away', 'dnd', 'invisible')]], ['status']],
      sync: [
        [['cursors', fc.dictionary(fc.constantFrom(f.channelId, randomUUID()), fc.integer({ min: 0, max: 10 }), { maxKeys: 2 })]],
        ['cursors'],
      ],
      editMessage: [
        [
          ['messageId', messageId],
          ['text', fc.string({ minLength: 1, maxLength: 30 })],
        ],
        ['messageId', 'text'],
      ],
      addReaction: [reactionFields, ['messageId', 'emoji']],
      removeReaction: [reactionFields, ['messageId', 'emoji']],
    };
    const payloadOf = (event: ClientEventName) =>
      fc.oneof(
        { weight: 8, arbitrary: mutated(...shapes[event]) },
        { weight: 2, arbitrary: hostileValue },
        {
          weight: 1,
          arbitrary: fc.constant({
            text: 'x'.repeat(MAX_SOCKET_FRAME_BYTES * 2),
            channelId: f.channelId,
            clientMsgId: randomUUID(),
          }),
        },
      );
    let answered = 0;
    let closed = 0;
    let rawClosed = 0;
    for (const event of CLIENT_EVENT_NAMES) {
      const details = await fc.check(
        fc.asyncProperty(
          payloadOf(event),
          fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
          async (body, twoArguments) => {
            const size = Buffer.byteLength(JSON.stringify(body) ?? '');
            const disconnected = new Promise<string>((resolvePromise) => socket.once('disconnect', resolvePromise));
            const emit = socket.timeout(ANSWER_TIMEOUT_MS) as unknown as {
              emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
            };
            const ack = (twoArguments ? emit.emitWithAck(event, body, 'extra') : emit.emitWithAck(event, body)).then(
              (value) => ({ value }),
              (error: Error) => ({ error }),
            );
            if (size > MAX_SOCKET_FRAME_BYTES) {
              // Too big for one frame: the server closes this connection (nothing else), and we reconnect.
              const reason = await Promise.race([disconnected, ack.then(() => 'answered')]);
              if (reason !== 'transport close')
                throw new Error(`${event} with a ${size}-byte frame: expected the connection closed, got ${reason}`);
              closed++;
              socket = await connectSocket(t.url, f.owner.auth.accessToken);
              return;
            }
            const result = await ack;
            if ('error' in result)
              throw new Error(`${event}: no answer (${result.error.message}) to ${JSON.stringify(body)?.slice(0, 200)}`);
            const value = result.value as Ack<unknown>;
            if (typeof value !== 'object' || value === null || typeof value.ok !== 'boolean')
              throw new Error(`${event}: answered without { ok }: ${JSON.stringify(value)}`);
            if (!value.ok) {
              const { code, message, retryable } = value.error ?? {};
              if (typeof code !== 'string' || typeof message !== 'string' || typeof retryable !== 'boolean')
                throw new Error(`${event}: malformed error ${JSON.stringify(value)}`);
              if (POSTGRES_TEXT.test(message) || message === REFUSED_BY_DATABASE) throw new Error(`${event}: ${message}`);
              if (retryable && code !== 'RATE_LIMITED')
                throw new Error(`${event}: ${code} said retryable for ${JSON.stringify(body)?.slice(0, 200)}`);
            }
            // Text PostgreSQL cannot store, or nesting past the limit, is a validation error wherever it is.
            if (refusable(body) && (value.ok || value.error.code !== 'VALIDATION_FAILED'))
              throw new Error(`${event}: ${JSON.stringify(value).slice(0, 200)} for ${JSON.stringify(body)?.slice(0, 200)}`);
            answered++;
          },
        ),
        { numRuns: SOCKET_RUNS, seed: SEED, endOnFailure: true },
      );
      record(`socket ${event}`, details);
      // Frames a client library would never write: answered with { ok }, or that connection (only) closes.
      for (const text of RAW_FRAMES) {
        if (!socket.connected) socket = await connectSocket(t.url, f.owner.auth.accessToken);
        const outcome = await callRaw(socket, event, text).catch((error: Error) => ({ error: error.message }));
        const ack = 'ack' in outcome ? (outcome.ack as { ok?: unknown }) : null;
        if ('closed' in outcome) rawClosed++;
        if ('error' in outcome || (ack && typeof ack.ok !== 'boolean')) {
          failures.push(`socket ${event} with the raw payload ${text.slice(0, 80)}: ${JSON.stringify(outcome).slice(0, 200)}`);
        }
      }
      if (!socket.connected) socket = await connectSocket(t.url, f.owner.auth.accessToken);
      await expectHealthy(`socket ${event}`);
    }
    socket.close();
    process.stdout.write(
      `[fuzz] ${answered} socket events answered, ${closed} oversized frames closed their connection; ${rawClosed} of ${RAW_FRAMES.length * CLIENT_EVENT_NAMES.length} raw frames closed it\n`,
    );
    expect(answered).toBeGreaterThan(CLIENT_EVENT_NAMES.length * SOCKET_RUNS * 0.8);
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses hostile handshakes in our own words', async () => {
    await ensureFixture();
    const claim = fc.oneof(hostileString, hostileNumber, fc.constant(null), fc.constant(fixture.owner.id));
    const token = fc.oneof(
      hostileString,
      fc.tuple(claim, claim).map(([sub, sid]) => sign({ sub, sid }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: 60 })),
      fc
        .tuple(claim, claim)
        .map(([sub, sid]) => sign({ sub, sid }, 'not-our-secret-not-our-secret-000000', { algorithm: 'HS256' })),
      hostileValue,
    );
    const details = await fc.check(
      fc.asyncProperty(token, async (value) => {
        const outcome = await new Promise<string>((resolvePromise) => {
          const socket = io(t.url, {
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
            auth: { token: value },
            timeout: ANSWER_TIMEOUT_MS,
          });
          socket.once('connect', () => {
            socket.close();
            resolvePromise('connected');
          });
          socket.once('connect_error', (error) => {
            socket.close();
            resolvePromise(`refused: ${error.message}`);
          });
        });
        if (outcome === 'connected') {
          if (typeof value !== 'string' || !value.startsWith('ey')) throw new Error(`connected with ${JSON.stringify(value)}`);
          return;
        }
        if (!/^refused: (AUTH_[A-Z_]+|SERVICE_UNAVAILABLE): /.test(outcome) || POSTGRES_TEXT.test(outcome))
          throw new Error(`handshake with ${JSON.stringify(value)?.slice(0, 100)}: ${outcome}`);
      }),
      { numRuns: HANDSHAKE_RUNS, seed: SEED, endOnFailure: true },
    );
    record('socket handshake', details);
    await expectHealthy('handshakes');
    expect(failures).toEqual([]);
  }, 120_000);
});
