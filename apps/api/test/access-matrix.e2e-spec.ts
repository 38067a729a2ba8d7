import { randomUUID } from 'node:crypto';
import { ChannelDto, FileDto, MessageDto, Permission, UploadResult, WorkspaceDto } from '@parley/contracts';
import request, { Response } from 'supertest';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

type Actor = 'owner' | 'admin' | 'member' | 'guest' | 'custom' | 'stranger' | 'removed' | 'deactivated';
const ACTORS: Actor[] = ['owner', 'admin', 'member', 'guest', 'custom', 'stranger', 'removed', 'deactivated'];

/** Expected status per actor; the three outsiders (never, no longer, or not now a member) share one column. */
type Expect = Record<'owner' | 'admin' | 'member' | 'guest' | 'custom' | 'outsider', number>;
const OUTSIDERS: Actor[] = ['stranger', 'removed', 'deactivated'];

interface Fixture {
  ws: WorkspaceDto;
  people: Record<Actor, Person>;
  publicChannel: ChannelDto;
  privateChannel: ChannelDto;
  guestRoom: ChannelDto;
  leavers: ChannelDto;
  dm: ChannelDto;
  memberRoleId: string;
  /** By the member, in the private channel. */
  memberMessage: MessageDto;
  /** By the owner, in the public channel. */
  ownerMessage: MessageDto;
  /** A public channel only the owner is in (the others may read it, not take part), and the owner's message there. */
  quiet: ChannelDto;
  quietMessage: MessageDto;
  /** Files: the owner's, sent with quietMessage; the member's, sent with memberMessage; the owner's, not yet sent. */
  quietFile: FileDto;
  privateFile: FileDto;
  unsentFile: FileDto;
}

/**
 * The authorisation matrix: every route of workspaces, members, invites, roles, channels,
 * DMs and messages, called by every kind of person, with the exact status each must get.
 */
describe('authorisation matrix', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode: databaseModes()[0],
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' },
    });
    const people = {} as Record<Actor, Person>;
    for (const actor of ACTORS) people[actor] = await person(t.url, sink, actor);
    const { owner } = people;
    const ws = await owner.createWorkspace('Matrix');
    const roleOf = (builtIn: 'admin' | 'member' | 'guest') => owner.roleId(ws.id, builtIn);
    const custom = (await owner.post(`/api/workspaces/${ws.id}/roles`, { name: 'Auditor', permissions: [Permission.AuditRead, Permission.ChannelBrowse] }).expect(201)).body;
    await owner.invite(ws.id, people.admin, await roleOf('admin'));
    await owner.invite(ws.id, people.member, await roleOf('member'));
    await owner.invite(ws.id, people.guest, await roleOf('guest'));
    await owner.invite(ws.id, people.custom, custom.id);
    await owner.invite(ws.id, people.removed, await roleOf('member'));
    await owner.invite(ws.id, people.deactivated, await roleOf('member'));

    const publicChannel = await owner.createChannel(ws.id, 'announcements');
    const privateChannel = await owner.createChannel(ws.id, 'secret', 'private');
    await owner.post(`/api/channels/${privateChannel.id}/members`, { userIds: [people.member.id, people.removed.id, people.deactivated.id] }).expect(200);
    const guestRoom = await owner.createChannel(ws.id, 'guest-room', 'private');
    await owner.post(`/api/channels/${guestRoom.id}/members`, { userIds: [people.guest.id] }).expect(200);
    const leavers = await owner.createChannel(ws.id, 'leavers');
    const dm = (await owner.post(`/api/workspaces/${ws.id}/dms`, { userIds: [people.member.id] }).expect(200)).body;

    const write = async (p: Person, channel: ChannelDto) =>
      (await p.post(`/api/channels/${channel.id}/messages`, { text: 'hello', clientMsgId: randomUUID() }).expect(201)).body as MessageDto;
    const memberMessage = await write(people.member, privateChannel);
    const ownerMessage = await write(owner, publicChannel);
    const quiet = await owner.createChannel(ws.id, 'quiet');
    const quietMessage = await write(owner, quiet);

    // Attaching files to messages is the send's (fileIds); here the rows are tied to their messages directly.
    const quietFile = await uploadTo(owner, quiet.id);
    const privateFile = await uploadTo(people.member, privateChannel.id);
    const unsentFile = await uploadTo(owner, quiet.id);
    await t.dataSource.query('UPDATE files SET message_id = $1 WHERE id = $2', [quietMessage.id, quietFile.id]);
    await t.dataSource.query('UPDATE files SET message_id = $1 WHERE id = $2', [memberMessage.id, privateFile.id]);

    await owner.delete(`/api/workspaces/${ws.id}/members/${people.removed.id}`).expect(204);
    await owner.post(`/api/workspaces/${ws.id}/members/${people.deactivated.id}/deactivate`).expect(200);
    f = { ws, people, publicChannel, privateChannel, guestRoom, leavers, dm, memberRoleId: await roleOf('member'), memberMessage, ownerMessage, quiet, quietMessage, quietFile, privateFile, unsentFile };
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a removed member is gone from every channel, a deactivated one keeps memberships but sees nothing', async () => {
    const { owner, removed, deactivated } = f.people;
    const secret = (await owner.get(`/api/channels/${f.privateChannel.id}/members`).expect(200)).body as { userId: string }[];
    expect(secret.map((m) => m.userId)).not.toContain(removed.id);
    expect(secret.map((m) => m.userId)).toContain(deactivated.id);
    expect((await deactivated.get('/api/workspaces').expect(200)).body).toEqual([]);
    expect((await removed.get('/api/workspaces').expect(200)).body).toEqual([]);
  });

  const unique = () => randomUUID().slice(0, 8);
  /** An upload of one small file as `p` into a channel (multipart, as the web app sends it). */
  function upload(p: Person, channelId: string) {
    return request(p.baseUrl).post(`/api/channels/${channelId}/files`).auth(p.auth.accessToken, { type: 'bearer' }).attach('file', Buffer.from('hello'), 'hello.txt');
  }
  async function uploadTo(p: Person, channelId: string): Promise<FileDto> {
    return ((await upload(p, channelId).expect(201)).body as UploadResult).files[0];
  }
  /** A message written for one call, so that each actor deletes a message still there. */
  const fresh = async (by: Person, channel: ChannelDto): Promise<string> =>
    ((await by.post(`/api/channels/${channel.id}/messages`, { text: 'to delete', clientMsgId: randomUUID() }).expect(201)).body as MessageDto).id;
  /** Routes that are not audited (@NotAudited): they leave no event, whatever the answer. */
  const notAudited = new Set<string>();
  const unaudited = (name: string) => (notAudited.add(name), name);
  const cases: [string, (p: Person) => Promise<Response>, Expect][] = [
    // Workspaces
    ['GET workspace', (p) => p.get(`/api/workspaces/${f.ws.id}`), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['PATCH workspace', (p) => p.patch(`/api/workspaces/${f.ws.id}`, { description: 'Our place' }), { owner: 200, admin: 200, member: 403, guest: 403, custom: 403, outsider: 404 }],
    // Members
    ['GET members', (p) => p.get(`/api/workspaces/${f.ws.id}/members`), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['PATCH member role', (p) => p.patch(`/api/workspaces/${f.ws.id}/members/${f.people.member.id}`, { roleId: f.memberRoleId }), { owner: 200, admin: 200, member: 403, guest: 403, custom: 403, outsider: 404 }],
    ['DELETE member (unknown)', (p) => p.delete(`/api/workspaces/${f.ws.id}/members/${randomUUID()}`), { owner: 404, admin: 404, member: 403, guest: 403, custom: 403, outsider: 404 }],
    ['deactivate member (unknown)', (p) => p.post(`/api/workspaces/${f.ws.id}/members/${randomUUID()}/deactivate`), { owner: 404, admin: 404, member: 403, guest: 403, custom: 403, outsider: 404 }],
    ['reactivate member (unknown)', (p) => p.post(`/api/workspaces/${f.ws.id}/members/${randomUUID()}/reactivate`), { owner: 404, admin: 404, member: 403, guest: 403, custom: 403, outsider: 404 }],
    // Invites
    ['POST invite', (p) => p.post(`/api/workspaces/${f.ws.id}/invites`, { email: `x-${unique()}@example.com` }), { owner: 201, admin: 201, member: 201, guest: 403, custom: 403, outsider: 404 }],
    ['GET invites', (p) => p.get(`/api/workspaces/${f.ws.id}/invites`), { owner: 200, admin: 200, member: 200, guest: 403, custom: 403, outsider: 404 }],
    ['DELETE invite (unknown)', (p) => p.delete(`/api/workspaces/${f.ws.id}/invites/${randomUUID()}`), { owner: 404, admin: 404, member: 404, guest: 403, custom: 403, outsider: 404 }],
    // Roles
    ['GET roles', (p) => p.get(`/api/workspaces/${f.ws.id}/roles`), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['POST role', (p) => p.post(`/api/workspaces/${f.ws.id}/roles`, { name: `r-${unique()}`, permissions: [] }), { owner: 201, admin: 201, member: 403, guest: 403, custom: 403, outsider: 404 }],
    ['PATCH built-in role', (p) => p.patch(`/api/workspaces/${f.ws.id}/roles/${f.memberRoleId}`, { name: 'Crew' }), { owner: 409, admin: 409, member: 403, guest: 403, custom: 403, outsider: 404 }],
    ['DELETE role (unknown)', (p) => p.delete(`/api/workspaces/${f.ws.id}/roles/${randomUUID()}`), { owner: 404, admin: 404, member: 403, guest: 403, custom: 403, outsider: 404 }],
    // Channels in the workspace
    ['GET channels', (p) => p.get(`/api/workspaces/${f.ws.id}/channels`), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['POST public channel', (p) => p.post(`/api/workspaces/${f.ws.id}/channels`, { name: `pub-${unique()}`, visibility: 'public' }), { owner: 201, admin: 201, member: 201, guest: 403, custom: 403, outsider: 404 }],
    ['POST private channel', (p) => p.post(`/api/workspaces/${f.ws.id}/channels`, { name: `priv-${unique()}`, visibility: 'private' }), { owner: 201, admin: 201, member: 201, guest: 403, custom: 403, outsider: 404 }],
    ['POST dm with the owner', (p) => p.post(`/api/workspaces/${f.ws.id}/dms`, { userIds: [p === f.people.owner ? f.people.member.id : f.people.owner.id] }), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['POST dm with a member (guest shares no channel)', (p) => p.post(`/api/workspaces/${f.ws.id}/dms`, { userIds: [p === f.people.member ? f.people.owner.id : f.people.member.id] }), { owner: 200, admin: 200, member: 200, guest: 403, custom: 200, outsider: 404 }],
    // A public channel
    ['GET public channel', (p) => p.get(`/api/channels/${f.publicChannel.id}`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['PATCH public channel', (p) => p.patch(`/api/channels/${f.publicChannel.id}`, { topic: 'News' }), { owner: 200, admin: 200, member: 403, guest: 404, custom: 403, outsider: 404 }],
    ['unarchive public channel', (p) => p.post(`/api/channels/${f.publicChannel.id}/unarchive`), { owner: 200, admin: 200, member: 403, guest: 404, custom: 403, outsider: 404 }],
    ['GET public channel members', (p) => p.get(`/api/channels/${f.publicChannel.id}/members`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['join public channel', (p) => p.post(`/api/channels/${f.publicChannel.id}/join`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['add yourself to public channel', (p) => p.post(`/api/channels/${f.publicChannel.id}/members`, { userIds: [p.id] }), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['remove someone from public channel (unknown)', (p) => p.delete(`/api/channels/${f.publicChannel.id}/members/${randomUUID()}`), { owner: 404, admin: 404, member: 403, guest: 404, custom: 403, outsider: 404 }],
    ['leave a public channel', (p) => p.post(`/api/channels/${f.leavers.id}/leave`), { owner: 204, admin: 204, member: 204, guest: 404, custom: 204, outsider: 404 }],
    // A private channel (owner, member)
    ['GET private channel', (p) => p.get(`/api/channels/${f.privateChannel.id}`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['PATCH private channel', (p) => p.patch(`/api/channels/${f.privateChannel.id}`, { topic: 'Hush' }), { owner: 200, admin: 404, member: 403, guest: 404, custom: 404, outsider: 404 }],
    ['join private channel', (p) => p.post(`/api/channels/${f.privateChannel.id}/join`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['add members to private channel', (p) => p.post(`/api/channels/${f.privateChannel.id}/members`, { userIds: [f.people.owner.id] }), { owner: 200, admin: 404, member: 403, guest: 404, custom: 404, outsider: 404 }],
    ['GET private channel members', (p) => p.get(`/api/channels/${f.privateChannel.id}/members`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    // The guest's channel (owner, guest)
    ['GET guest room', (p) => p.get(`/api/channels/${f.guestRoom.id}`), { owner: 200, admin: 404, member: 404, guest: 200, custom: 404, outsider: 404 }],
    // A DM (owner, member)
    ['GET dm', (p) => p.get(`/api/channels/${f.dm.id}`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['rename dm', (p) => p.patch(`/api/channels/${f.dm.id}`, { topic: 'x' }), { owner: 400, admin: 404, member: 400, guest: 404, custom: 404, outsider: 404 }],
    ['join dm', (p) => p.post(`/api/channels/${f.dm.id}/join`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['add to dm', (p) => p.post(`/api/channels/${f.dm.id}/members`, { userIds: [f.people.admin.id] }), { owner: 400, admin: 404, member: 400, guest: 404, custom: 404, outsider: 404 }],
    // Messages: the owner's in the public channel, the member's in the private one
    ['PATCH a message of the owner (public)', (p) => p.patch(`/api/messages/${f.ownerMessage.id}`, { text: 'edited' }), { owner: 200, admin: 403, member: 403, guest: 404, custom: 403, outsider: 404 }],
    ['DELETE a message of the owner (public)', async (p) => p.delete(`/api/messages/${await fresh(f.people.owner, f.publicChannel)}`), { owner: 204, admin: 204, member: 403, guest: 404, custom: 403, outsider: 404 }],
    ['GET a message of the owner (public)', (p) => p.get(`/api/messages/${f.ownerMessage.id}`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET a message of the member (private)', (p) => p.get(`/api/messages/${f.memberMessage.id}`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET versions of a message of the owner (public)', (p) => p.get(`/api/messages/${f.ownerMessage.id}/versions`), { owner: 200, admin: 200, member: 403, guest: 404, custom: 200, outsider: 404 }],
    ['PATCH a message of the member (private)', (p) => p.patch(`/api/messages/${f.memberMessage.id}`, { text: 'edited' }), { owner: 403, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['DELETE a message of the member (private)', async (p) => p.delete(`/api/messages/${await fresh(f.people.member, f.privateChannel)}`), { owner: 204, admin: 404, member: 204, guest: 404, custom: 404, outsider: 404 }],
    ['GET versions of a message of the member (private)', (p) => p.get(`/api/messages/${f.memberMessage.id}/versions`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    // Threads: anyone who may read the channel reads, follows and marks read a thread (not audited: the flow of conversation)
    ['GET replies of a message of the owner (public)', (p) => p.get(`/api/messages/${f.ownerMessage.id}/replies`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('PUT follow a message of the owner (public)'), (p) => p.put(`/api/messages/${f.ownerMessage.id}/follow`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('DELETE follow a message of the owner (public)'), (p) => p.delete(`/api/messages/${f.ownerMessage.id}/follow`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('POST replies/read of a message of the owner (public)'), (p) => p.post(`/api/messages/${f.ownerMessage.id}/replies/read`, { seq: 0 }), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET replies of a message of the member (private)', (p) => p.get(`/api/messages/${f.memberMessage.id}/replies`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('PUT follow a message of the member (private)'), (p) => p.put(`/api/messages/${f.memberMessage.id}/follow`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('DELETE follow a message of the member (private)'), (p) => p.delete(`/api/messages/${f.memberMessage.id}/follow`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('POST replies/read of a message of the member (private)'), (p) => p.post(`/api/messages/${f.memberMessage.id}/replies/read`, { seq: 0 }), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET threads of the workspace', (p) => p.get(`/api/workspaces/${f.ws.id}/threads`), { owner: 200, admin: 200, member: 200, guest: 200, custom: 200, outsider: 404 }],
    ['PATCH unknown message', (p) => p.patch(`/api/messages/${randomUUID()}`, { text: 'edited' }), { owner: 404, admin: 404, member: 404, guest: 404, custom: 404, outsider: 404 }],
    // Reactions, pins and forwarding: members take part, readers who are not members are told to join, the rest learn nothing
    [unaudited('PUT reaction on a message of the owner (public)'), (p) => p.put(`/api/messages/${f.ownerMessage.id}/reactions/%2B1`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('DELETE reaction on a message of the owner (public)'), (p) => p.delete(`/api/messages/${f.ownerMessage.id}/reactions/%2B1`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('PUT reaction in a channel one only reads'), (p) => p.put(`/api/messages/${f.quietMessage.id}/reactions/tada`), { owner: 200, admin: 403, member: 403, guest: 404, custom: 403, outsider: 404 }],
    [unaudited('PUT reaction on a message of the member (private)'), (p) => p.put(`/api/messages/${f.memberMessage.id}/reactions/tada`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('PUT an unknown emoji'), (p) => p.put(`/api/messages/${f.ownerMessage.id}/reactions/%3Cscript%3E`), { owner: 400, admin: 400, member: 400, guest: 400, custom: 400, outsider: 400 }],
    [unaudited('PUT pin on a message of the owner (public)'), (p) => p.put(`/api/messages/${f.ownerMessage.id}/pin`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('PUT pin in a channel one only reads'), (p) => p.put(`/api/messages/${f.quietMessage.id}/pin`), { owner: 200, admin: 403, member: 403, guest: 404, custom: 403, outsider: 404 }],
    [unaudited('DELETE pin on a message of the member (private)'), (p) => p.delete(`/api/messages/${f.memberMessage.id}/pin`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET pins of the public channel', (p) => p.get(`/api/channels/${f.publicChannel.id}/pins`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET pins of the private channel', (p) => p.get(`/api/channels/${f.privateChannel.id}/pins`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    // The files of a channel's conversation: whoever may read the channel
    ['GET files of the public channel', (p) => p.get(`/api/channels/${f.publicChannel.id}/files`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET files of the private channel', (p) => p.get(`/api/channels/${f.privateChannel.id}/files`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET files of the guest room', (p) => p.get(`/api/channels/${f.guestRoom.id}/files`), { owner: 200, admin: 404, member: 404, guest: 200, custom: 404, outsider: 404 }],
    ['GET files of the dm', (p) => p.get(`/api/channels/${f.dm.id}/files`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('forward a message of the member (private) into the public channel'), (p) => p.post(`/api/messages/${f.memberMessage.id}/forward`, { channelId: f.publicChannel.id, clientMsgId: randomUUID() }), { owner: 201, admin: 404, member: 201, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('forward a message of the owner (public) into a channel one only reads'), (p) => p.post(`/api/messages/${f.ownerMessage.id}/forward`, { channelId: f.quiet.id, clientMsgId: randomUUID() }), { owner: 201, admin: 403, member: 403, guest: 404, custom: 403, outsider: 404 }],
    [unaudited('forward a message of the owner (public) into the dm'), (p) => p.post(`/api/messages/${f.ownerMessage.id}/forward`, { channelId: f.dm.id, clientMsgId: randomUUID() }), { owner: 201, admin: 404, member: 201, guest: 404, custom: 404, outsider: 404 }],
    // Read receipts: whoever may read the channel (not audited: the flow of conversation)
    [unaudited('GET reads of public channel'), (p) => p.get(`/api/channels/${f.publicChannel.id}/reads`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    [unaudited('GET reads of private channel'), (p) => p.get(`/api/channels/${f.privateChannel.id}/reads`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('GET reads of guest room'), (p) => p.get(`/api/channels/${f.guestRoom.id}/reads`), { owner: 200, admin: 404, member: 404, guest: 200, custom: 404, outsider: 404 }],
    [unaudited('GET reads of dm'), (p) => p.get(`/api/channels/${f.dm.id}/reads`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    // Files: uploading is the channel's Post rule, reading its Read rule (and an unsent file is its uploader's alone); not audited: the flow of conversation
    [unaudited('POST files into a channel one only reads'), (p) => upload(p, f.quiet.id), { owner: 201, admin: 403, member: 403, guest: 404, custom: 403, outsider: 404 }],
    [unaudited('POST files into the private channel'), (p) => upload(p, f.privateChannel.id), { owner: 201, admin: 404, member: 201, guest: 404, custom: 404, outsider: 404 }],
    [unaudited('POST files into the dm'), (p) => upload(p, f.dm.id), { owner: 201, admin: 404, member: 201, guest: 404, custom: 404, outsider: 404 }],
    ['GET a file sent in a public channel', (p) => p.get(`/api/files/${f.quietFile.id}`), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET the content of a file sent in a public channel', (p) => p.get(f.quietFile.url), { owner: 200, admin: 200, member: 200, guest: 404, custom: 200, outsider: 404 }],
    ['GET a file sent in the private channel', (p) => p.get(`/api/files/${f.privateFile.id}`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET the content of a file sent in the private channel', (p) => p.get(`${f.privateFile.url}?download=1`), { owner: 200, admin: 404, member: 200, guest: 404, custom: 404, outsider: 404 }],
    ['GET a file the owner has not sent yet', (p) => p.get(`/api/files/${f.unsentFile.id}`), { owner: 200, admin: 404, member: 404, guest: 404, custom: 404, outsider: 404 }],
    ['GET the content of a file the owner has not sent yet', (p) => p.get(f.unsentFile.url), { owner: 200, admin: 404, member: 404, guest: 404, custom: 404, outsider: 404 }],
    ['GET unknown file', (p) => p.get(`/api/files/${randomUUID()}/content`), { owner: 404, admin: 404, member: 404, guest: 404, custom: 404, outsider: 404 }],
    // Unknown channel
    ['GET unknown channel', (p) => p.get(`/api/channels/${randomUUID()}`), { owner: 404, admin: 404, member: 404, guest: 404, custom: 404, outsider: 404 }],
  ];

  const table = cases.flatMap(([name, call, expected]) =>
    ACTORS.map((actor) => [name, actor, call, OUTSIDERS.includes(actor) ? expected.outsider : expected[actor as keyof Expect]] as const),
  );

  const auditCount = async (): Promise<number> => (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_events'))[0].n;

  it.each(table)('%s as %s', async (name, actor, call, status) => {
    const before = await auditCount();
    const response = await call(f.people[actor]);
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    if (status >= 400 && response.body) expect(response.body).toMatchObject({ statusCode: status, code: expect.any(String) });
    // Every mutating call leaves exactly one audit event, whatever its outcome; a read leaves none unless refused with 403.
    // A @NotAudited route (reactions, pins, forwards, following a thread, marking it read) leaves none at all.
    const method = (response as unknown as { req: { method: string } }).req.method;
    expect([method, (await auditCount()) - before]).toEqual([method, notAudited.has(name) ? 0 : method !== 'GET' || status === 403 ? 1 : 0]);
  });


  // Last, because the Owner's success ends the fixture.
  it.each(ACTORS.filter((actor) => actor !== 'owner'))('DELETE workspace as %s', async (actor) => {
    const response = await f.people[actor].delete(`/api/workspaces/${f.ws.id}`);
    expect(response.status).toBe(OUTSIDERS.includes(actor) ? 404 : 403);
  });

  it('DELETE workspace as owner', async () => {
    await f.people.owner.delete(`/api/workspaces/${f.ws.id}`).expect(204);
    for (const actor of ACTORS) await f.people[actor].get(`/api/workspaces/${f.ws.id}`).expect(404);
    await f.people.member.get(`/api/channels/${f.publicChannel.id}`).expect(404);
  });
});
