import { randomUUID } from 'node:crypto';
import { BuiltInRole, ChannelErrorCode, CommonErrorCode, Permission } from '@parley/contracts';
import { MESSAGE_RULES, MessageAction } from '@api/access/access.rules';
import { AccessService } from '@api/access/access.service';
import { WorkspaceAccess } from '@api/access/workspace-access';
import { ChannelsService } from '@api/channels/channels.service';
import { MessageChangesService } from '@api/messages/message-changes.service';
import { MessagesService } from '@api/messages/messages.service';
import { Role } from '@api/rbac/entities/role.entity';
import { RolesService } from '@api/rbac/roles.service';
import { UsersService } from '@api/users/users.service';
import { WorkspaceMember } from '@api/workspaces/entities/workspace-member.entity';
import { MembersService } from '@api/workspaces/members.service';
import { WorkspacesService } from '@api/workspaces/workspaces.service';
import { databaseModes, startTestApp, TestApp } from '../support/test-app';

/*
 * Medium tier: every message rule (MESSAGE_RULES in access/access.rules.ts) asked of
 * AccessService.requireMessage on the real database, without HTTP, allowed and refused, with the
 * check that answers (watched on the table's own checks). The cast, all in Acme:
 *
 *   owner        Owner (every permission); in no channel
 *   sender       Member; wrote every message below, in #pub, #priv, #archived and #left
 *   member       Member; in #pub and #priv
 *   guest        Guest (no permission); in #pub
 *   moderator    custom role with message.delete.any only (no channel.browse); in #pub
 *   auditor      custom role with audit.read only; in #pub
 *   deactivated  Member; in #pub, then deactivated
 *   stranger     not in Acme
 *
 * Messages: `pub` (#pub), `priv` (#priv, private), `archived` (#archived, since archived), `left`
 * (#left, public, which the sender left), `deleted` (#pub, deleted), `reply` (#pub, in the thread of
 * `pub`), and an id that does not exist.
 */

const PEOPLE = ['owner', 'sender', 'member', 'guest', 'moderator', 'auditor', 'deactivated', 'stranger'] as const;
type Person = (typeof PEOPLE)[number];
type Msg = 'pub' | 'priv' | 'archived' | 'left' | 'deleted' | 'reply' | 'missing';
const ALLOWED = 'allowed';
/** Not found before any check of the rule: the message's channel is not there for the caller. */
const UNSEEN = 'unseen';

const { Read, Edit, Delete, ReadVersions, ReadReplies, FollowThread, React, Pin, Forward } = MessageAction;
const [notDeleted, editBySender, editByMember, editNotArchived] = MESSAGE_RULES[Edit];
const [, deleteBySenderOrPermission] = MESSAGE_RULES[Delete];
const [, versionsBySenderOrAuditor] = MESSAGE_RULES[ReadVersions];
const [isThreadRoot] = MESSAGE_RULES[ReadReplies];
const [forwardNotDeleted] = MESSAGE_RULES[Forward];
type Check = (typeof MESSAGE_RULES)[MessageAction][number];
type Expected = typeof ALLOWED | typeof UNSEEN | Check;

/** [action, who, which message, what answers] */
type Row = [MessageAction, Person, Msg, Expected];

const NOT_THERE: [Person, Msg][] = [
  ['stranger', 'pub'],
  ['deactivated', 'pub'],
  ['owner', 'missing'],
  // Every permission does not open a private channel one is not in.
  ['owner', 'priv'],
  ['guest', 'priv'],
  ['auditor', 'priv'],
  // Deleting anyone's message does not make a public channel one is not in visible without channel.browse.
  ['moderator', 'left'],
];

/** The rows of an action whose rule is "take part": not deleted, a member of its channel, not archived. */
function takingPart(action: MessageAction): Row[] {
  const [, byMember, notArchived] = MESSAGE_RULES[action];
  return [
    [action, 'sender', 'pub', ALLOWED],
    [action, 'member', 'priv', ALLOWED],
    [action, 'guest', 'pub', ALLOWED],
    [action, 'owner', 'pub', byMember],
    [action, 'sender', 'left', byMember],
    [action, 'sender', 'archived', notArchived],
    [action, 'member', 'deleted', notDeleted],
  ];
}

const ROWS: Row[] = [
  ...NOT_THERE.flatMap(([who, msg]) => Object.values(MessageAction).map((action): Row => [action, who, msg, UNSEEN])),

  // Read: whoever may see its channel, a deleted message and a reply too (it shows as the history shows it).
  [Read, 'sender', 'pub', ALLOWED],
  [Read, 'member', 'priv', ALLOWED],
  [Read, 'guest', 'pub', ALLOWED],
  [Read, 'owner', 'pub', ALLOWED],
  [Read, 'sender', 'left', ALLOWED],
  [Read, 'member', 'deleted', ALLOWED],
  [Read, 'member', 'reply', ALLOWED],

  // Edit: not deleted, the sender, still a member, the channel not archived.
  [Edit, 'sender', 'pub', ALLOWED],
  [Edit, 'sender', 'priv', ALLOWED],
  [Edit, 'member', 'pub', editBySender],
  [Edit, 'owner', 'pub', editBySender],
  [Edit, 'moderator', 'pub', editBySender],
  [Edit, 'sender', 'left', editByMember],
  [Edit, 'sender', 'archived', editNotArchived],
  [Edit, 'sender', 'deleted', notDeleted],
  [Edit, 'member', 'deleted', notDeleted],

  // Delete: not deleted, the sender or message.delete.any (archived or left: still theirs to delete).
  [Delete, 'sender', 'pub', ALLOWED],
  [Delete, 'sender', 'archived', ALLOWED],
  [Delete, 'sender', 'left', ALLOWED],
  [Delete, 'owner', 'pub', ALLOWED],
  [Delete, 'owner', 'archived', ALLOWED],
  [Delete, 'moderator', 'pub', ALLOWED],
  [Delete, 'member', 'pub', deleteBySenderOrPermission],
  [Delete, 'member', 'priv', deleteBySenderOrPermission],
  [Delete, 'guest', 'pub', deleteBySenderOrPermission],
  [Delete, 'auditor', 'pub', deleteBySenderOrPermission],
  [Delete, 'sender', 'deleted', notDeleted],
  [Delete, 'owner', 'deleted', notDeleted],

  // ReadVersions: not deleted, the sender, audit.read or ediscovery.export.
  [ReadVersions, 'sender', 'pub', ALLOWED],
  [ReadVersions, 'sender', 'archived', ALLOWED],
  [ReadVersions, 'sender', 'left', ALLOWED],
  [ReadVersions, 'auditor', 'pub', ALLOWED],
  [ReadVersions, 'owner', 'pub', ALLOWED],
  [ReadVersions, 'member', 'pub', versionsBySenderOrAuditor],
  [ReadVersions, 'member', 'priv', versionsBySenderOrAuditor],
  [ReadVersions, 'guest', 'pub', versionsBySenderOrAuditor],
  [ReadVersions, 'moderator', 'pub', versionsBySenderOrAuditor],
  [ReadVersions, 'sender', 'deleted', notDeleted],
  [ReadVersions, 'auditor', 'deleted', notDeleted],

  // ReadReplies and FollowThread: whoever may read the channel, on a thread root (a deleted one keeps its thread).
  ...[ReadReplies, FollowThread].flatMap((action): Row[] => [
    [action, 'sender', 'pub', ALLOWED],
    [action, 'member', 'priv', ALLOWED],
    [action, 'guest', 'pub', ALLOWED],
    [action, 'owner', 'pub', ALLOWED],
    [action, 'sender', 'archived', ALLOWED],
    [action, 'member', 'deleted', ALLOWED],
    [action, 'member', 'reply', isThreadRoot],
    [action, 'sender', 'reply', isThreadRoot],
  ]),

  // React and Pin: not deleted, a member of the channel (a reader who is not is told to join), not archived.
  ...takingPart(React),
  ...takingPart(Pin),

  // Forward: whoever may read it, while it is not deleted (where it goes is the send's rule).
  [Forward, 'owner', 'pub', ALLOWED],
  [Forward, 'guest', 'pub', ALLOWED],
  [Forward, 'sender', 'left', ALLOWED],
  [Forward, 'sender', 'archived', ALLOWED],
  [Forward, 'member', 'deleted', forwardNotDeleted],
];

const titled = ROWS.map(([action, who, msg, expected]) => ({
  action,
  who,
  msg,
  expected,
  answer: expected === ALLOWED || expected === UNSEEN ? expected : expected.describe,
}));

describe('the message rule table is covered (no database)', () => {
  it('every check of every MessageAction answers some row, and every action has an allowed row', () => {
    const unanswered = Object.values(MessageAction).flatMap((action) =>
      MESSAGE_RULES[action].filter((check) => !ROWS.some(([a, , , expected]) => a === action && expected === check)).map((check) => `${action}: ${check.describe}`),
    );
    expect(unanswered).toEqual([]);
    expect(Object.values(MessageAction).filter((action) => !ROWS.some(([a, , , expected]) => a === action && expected === ALLOWED))).toEqual([]);
  });
});

describe.each(databaseModes())('message rules, asked of AccessService (%s database)', (mode) => {
  let t: TestApp;
  let access: AccessService;
  const people = {} as Record<Person, string>;
  const messages = {} as Record<Msg, string>;
  /** Each check's `holds`, watched (the table's own objects; notDeleted is shared by the three rules). */
  const watched = new Map<Check, jest.SpyInstance>();

  beforeAll(async () => {
    t = await startTestApp({ mode });
    access = t.app.get(AccessService);
    const users = t.app.get(UsersService);
    const channels = t.app.get(ChannelsService);
    const sends = t.app.get(MessagesService);
    for (const name of PEOPLE) people[name] = (await users.findOrCreate(`${name}@example.com`, name)).id;
    const acme = (await t.app.get(WorkspacesService).create(people.owner, { name: 'Acme' })).id;
    const as = async (name: Person): Promise<WorkspaceAccess> => (await access.forWorkspace(people[name], acme))!;
    const roles = await t.dataSource.getRepository(Role).findBy({ workspaceId: acme });
    const builtIn = (kind: BuiltInRole) => roles.find((role) => role.builtIn === kind)!.id;
    const custom = async (name: string, permission: Permission) =>
      (await t.app.get(RolesService).create(await as('owner'), { name, permissions: [permission] })).id;
    const join = (roleId: string, ...names: Person[]) =>
      t.dataSource.getRepository(WorkspaceMember).insert(names.map((name) => ({ workspaceId: acme, userId: people[name], roleId })));
    await join(builtIn('member'), 'sender', 'member', 'deactivated');
    await join(builtIn('guest'), 'guest');
    await join(await custom('Moderator', Permission.MessageDeleteAny), 'moderator');
    await join(await custom('Auditor', Permission.AuditRead), 'auditor');

    const channel = async (name: string, visibility: 'public' | 'private', others: Person[]) => {
      const id = (await channels.create(await as('sender'), { name, visibility })).id;
      if (others.length) await channels.addMembers({ userId: people.sender }, id, others.map((other) => people[other]));
      return id;
    };
    const write = async (channelId: string, text: string) =>
      (await sends.send(people.sender, channelId, { text, clientMsgId: randomUUID() })).message.id;
    const pub = await channel('pub', 'public', ['member', 'guest', 'moderator', 'auditor', 'deactivated']);
    const priv = await channel('priv', 'private', ['member']);
    const archived = await channel('archived', 'public', []);
    const left = await channel('left', 'public', []);
    messages.pub = await write(pub, 'in pub');
    messages.priv = await write(priv, 'in priv');
    messages.archived = await write(archived, 'in archived');
    messages.left = await write(left, 'in left');
    messages.deleted = await write(pub, 'deleted');
    messages.reply = (await sends.send(people.sender, pub, { text: 'a reply', clientMsgId: randomUUID(), threadRootId: messages.pub })).message.id;
    messages.missing = randomUUID();
    // Each refusal below comes from the change made here: before it, the same person was allowed.
    await access.requireMessage({ userId: people.sender }, messages.archived, Edit);
    await channels.setArchived({ userId: people.sender }, archived, true);
    await access.requireMessage({ userId: people.sender }, messages.left, Edit);
    await channels.leave({ userId: people.sender }, left);
    await t.app.get(MessageChangesService).delete({ userId: people.sender }, messages.deleted);
    await expect(access.requireMessage({ userId: people.deactivated }, messages.pub, Delete)).rejects.toMatchObject({ code: CommonErrorCode.Forbidden });
    await t.app.get(MembersService).setActive(await as('owner'), people.deactivated, false);

    for (const action of Object.values(MessageAction)) {
      for (const check of MESSAGE_RULES[action]) if (!watched.has(check)) watched.set(check, jest.spyOn(check, 'holds'));
    }
  });

  afterAll(async () => {
    for (const spy of watched.values()) spy.mockRestore();
    await t?.close();
  });

  /**
   * The first check of the rule that answered false, 'allowed' when all held; when none was asked,
   * 'unseen' unless the rule has no checks and access was granted (`granted`).
   */
  const answered = (action: MessageAction, granted: boolean): string => {
    const asked = MESSAGE_RULES[action].map((check) => ({ check, results: watched.get(check)!.mock.results.map((result) => result.value as boolean) }));
    if (asked.every(({ results }) => results.length === 0)) return granted ? ALLOWED : UNSEEN;
    return asked.find(({ results }) => results.includes(false))?.check.describe ?? ALLOWED;
  };

  it.each(titled)('requireMessage: $who $action on $msg → $answer', async ({ action, who, msg, expected, answer }) => {
    for (const spy of watched.values()) spy.mockClear();
    const asked = access.requireMessage({ userId: people[who] }, messages[msg], action);
    const granted = await asked.then(
      () => true,
      () => false,
    );
    if (expected === ALLOWED) {
      expect((await asked).message.id).toBe(messages[msg]);
    } else {
      const code = expected === UNSEEN ? CommonErrorCode.NotFound : expected.refuse().code;
      await expect(asked).rejects.toMatchObject({ code });
    }
    expect(answered(action, granted)).toBe(answer);
  });

  it('answers 404 for a message whose channel the caller may not see exactly as for one that does not exist', async () => {
    const unseen = await access.requireMessage({ userId: people.guest }, messages.priv, Edit).catch((error: Error) => error);
    const missing = await access.requireMessage({ userId: people.guest }, messages.missing, Edit).catch((error: Error) => error);
    expect(unseen).toMatchObject({ code: CommonErrorCode.NotFound, message: (missing as Error).message });
    expect(editNotArchived.refuse().code).toBe(ChannelErrorCode.Archived);
  });
});
