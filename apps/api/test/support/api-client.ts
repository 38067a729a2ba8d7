import { randomUUID } from 'node:crypto';
import { AuthResponse, ChannelDto, CreatedInviteDto, MessageDto, RoleDto, SendMessageRequest, SentMessage, WorkspaceDto } from '@parley/contracts';
import request from 'supertest';
import { signIn } from './sign-in';
import { SmtpSink } from './smtp-sink';

/** A signed-in person talking to the real API. */
export class Person {
  constructor(
    readonly baseUrl: string,
    readonly auth: AuthResponse,
  ) {}

  get id(): string {
    return this.auth.user.id;
  }

  get email(): string {
    return this.auth.user.email;
  }

  get(path: string) {
    return request(this.baseUrl).get(path).auth(this.auth.accessToken, { type: 'bearer' });
  }

  post(path: string, body: object = {}) {
    return request(this.baseUrl).post(path).auth(this.auth.accessToken, { type: 'bearer' }).send(body);
  }

  put(path: string, body: object = {}) {
    return request(this.baseUrl).put(path).auth(this.auth.accessToken, { type: 'bearer' }).send(body);
  }

  patch(path: string, body: object = {}) {
    return request(this.baseUrl).patch(path).auth(this.auth.accessToken, { type: 'bearer' }).send(body);
  }

  delete(path: string) {
    return request(this.baseUrl).delete(path).auth(this.auth.accessToken, { type: 'bearer' });
  }

  async createWorkspace(name = 'Acme'): Promise<WorkspaceDto> {
    return (await this.post('/api/workspaces', { name }).expect(201)).body as WorkspaceDto;
  }

  async createChannel(workspaceId: string, name: string, visibility: 'public' | 'private' = 'public'): Promise<ChannelDto> {
    return (await this.post(`/api/workspaces/${workspaceId}/channels`, { name, visibility }).expect(201)).body as ChannelDto;
  }

  /**
   * Sends a message over REST (a fresh clientMsgId unless `extra` names one), expecting 201: the
   * message as everyone else gets it (the answer's sender-only fields of SentMessage left out).
   */
  async send(channelId: string, text: string, extra: Partial<SendMessageRequest> = {}): Promise<MessageDto> {
    return asOthersSeeIt((await this.post(`/api/channels/${channelId}/messages`, { text, clientMsgId: randomUUID(), ...extra }).expect(201)).body as SentMessage);
  }

  async roles(workspaceId: string): Promise<RoleDto[]> {
    return (await this.get(`/api/workspaces/${workspaceId}/roles`).expect(200)).body as RoleDto[];
  }

  async roleId(workspaceId: string, builtIn: 'owner' | 'admin' | 'member' | 'guest'): Promise<string> {
    return (await this.roles(workspaceId)).find((role) => role.builtIn === builtIn)!.id;
  }

  /** Invites `other` with a role and has them accept: the whole invite flow, through the API. */
  async invite(workspaceId: string, other: Person, roleId?: string): Promise<void> {
    const invite = (await this.post(`/api/workspaces/${workspaceId}/invites`, { email: other.email, roleId }).expect(201))
      .body as CreatedInviteDto;
    await other.post(`/api/invites/${invite.token}/accept`).expect(200);
  }
}

/** The message of a sender's answer as everyone else gets it: without the sender-only fields. */
export function asOthersSeeIt(answer: SentMessage): MessageDto {
  const { mentionedNonMembers: _notInChannel, broadcastRefused: _refused, ...message } = answer;
  return message;
}

let counter = 0;

export async function person(baseUrl: string, sink: SmtpSink, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${Date.now().toString(36)}-${++counter}@example.com`;
  return new Person(baseUrl, await signIn(baseUrl, sink, email, name));
}
