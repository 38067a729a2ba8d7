import { AuthResponse, ChannelDto, CreatedInviteDto, RoleDto, WorkspaceDto } from '@parley/contracts';
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

let counter = 0;

export async function person(baseUrl: string, sink: SmtpSink, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${Date.now().toString(36)}-${++counter}@example.com`;
  return new Person(baseUrl, await signIn(baseUrl, sink, email, name));
}
