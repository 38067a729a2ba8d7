import { randomUUID } from 'node:crypto';
import { BuiltInRole, ChannelErrorCode, CommonErrorCode, ErrorCode, Permission } from '@parley/contracts';
import { CHANNEL_RULES, ChannelAction, MAY_SEE } from '@api/access/access.rules';
import { AccessService } from '@api/access/access.service';
import { ChannelAccess, WorkspaceAccess } from '@api/access/workspace-access';
import { ChannelsService } from '@api/channels/channels.service';
import { DmsService } from '@api/channels/dms.service';
import { Role } from '@api/rbac/entities/role.entity';
import { RolesService } from '@api/rbac/roles.service';
import { UsersService } from '@api/users/users.service';
import { WorkspaceMember } from '@api/workspaces/entities/workspace-member.entity';
import { MembersService } from '@api/workspaces/members.service';
import { WorkspacesService } from '@api/workspaces/workspaces.service';
import { databaseModes, startTestApp, TestApp } from '../support/test-app';

/*
 * Medium tier: every access rule (access/access.rules.ts) asked of AccessService on the real
 * database, without HTTP, allowed and refused, with the code the refusal answers. The cast:
 *
 *   owner        Owner of Acme (every permission), in no channel below
 *   creator      Member; created #pub and #archived, in both, and in the DM and group DM
 *   member       Member; in #pub, #priv, #archived, #left-public, the DM and the group DM
 *   onlooker     Member (may browse); in no channel but the group DM
 *   guest        Guest (no permission); in #pub
 *   manager      custom role with channel.manage only (no channel.browse); in #pub and #priv
 *   archivist    custom role with channel.archive only; in #pub and #priv
 *   browser      custom role with channel.browse only; in #priv
 *   leaver       Member; created #priv (private) and #left-public, then left both
 *   deactivated  Member; was in #pub and #priv, then deactivated
 *   stranger     not in Acme at all
 *   gone         Owner of a workspace since deleted, in its #doomed
 *
 * Places: #pub (public), #priv (private), #archived (public, archived), #left-public (public),
 * the DM (creator + member), the group DM (creator, member, onlooker), #doomed in the deleted
 * workspace, and a channel id that does not exist.
 */

const PEOPLE = [
  'owner',
  'creator',
  'member',
  'onlooker',
  'guest',
  'manager',
  'archivist',
  'browser',
  'leaver',
  'deactivated',
  'stranger',
  'gone',
] as const;
type Person = (typeof PEOPLE)[number];
type Place = 'pub' | 'priv' | 'archived' | 'left-public' | 'dm' | 'group-dm' | 'doomed' | 'missing';
const ALLOWED = 'allowed';
type Expected = typeof ALLOWED | ErrorCode;

const { Read, Post, Type, MarkRead, Join, Leave, Manage, Archive, AddMembers, RemoveMember } = ChannelAction;
const { NotFound, Forbidden } = CommonErrorCode;
const { Archived, DmImmutable, NotJoinable } = ChannelErrorCode;

/** [action, who, where, expected, the person acted on (RemoveMember)] */
type Row = [ChannelAction, Person, Place, Expected, Person?];

/** Where the channel is not there for the caller, whatever they would do: 404 for every action. */
const UNSEEN: [Person, Place][] = [
  ['deactivated', 'pub'],
  ['deactivated', 'priv'],
  ['stranger', 'pub'],
  ['gone', 'doomed'],
  ['owner', 'missing'],
  // Every permission does not open a private channel one is not in...
  ['owner', 'priv'],
  // ...nor does having created it, once one has left.
  ['leaver', 'priv'],
  ['creator', 'priv'],
  // A public channel one is not in is there only for those who may browse.
  ['guest', 'left-public'],
  ['manager', 'left-public'],
  ['archivist', 'archived'],
];

const CHANNEL_ROWS: Row[] = [
  ...UNSEEN.flatMap(([who, where]) =>
    Object.values(ChannelAction).map((action): Row => [action, who, where, NotFound, action === RemoveMember ? who : undefined]),
  ),

  // Read: "may see" and nothing more.
  [Read, 'member', 'priv', ALLOWED],
  [Read, 'guest', 'pub', ALLOWED],
  [Read, 'onlooker', 'pub', ALLOWED],
  [Read, 'browser', 'pub', ALLOWED],
  [Read, 'owner', 'pub', ALLOWED],
  [Read, 'onlooker', 'archived', ALLOWED],
  [Read, 'leaver', 'left-public', ALLOWED],
  [Read, 'member', 'dm', ALLOWED],
  [Read, 'onlooker', 'group-dm', ALLOWED],

  // Post: a member, of a channel not archived (membership answers first).
  [Post, 'member', 'pub', ALLOWED],
  [Post, 'guest', 'pub', ALLOWED],
  [Post, 'member', 'priv', ALLOWED],
  [Post, 'member', 'dm', ALLOWED],
  [Post, 'onlooker', 'group-dm', ALLOWED],
  [Post, 'onlooker', 'pub', Forbidden],
  [Post, 'owner', 'pub', Forbidden],
  [Post, 'leaver', 'left-public', Forbidden],
  [Post, 'member', 'archived', Archived],
  [Post, 'creator', 'archived', Archived],
  [Post, 'onlooker', 'archived', Forbidden],

  // Typing and read positions: members only; to anyone else the channel is not there.
  [Type, 'member', 'pub', ALLOWED],
  [Type, 'guest', 'pub', ALLOWED],
  [Type, 'member', 'dm', ALLOWED],
  [Type, 'member', 'archived', ALLOWED],
  [Type, 'onlooker', 'pub', NotFound],
  [Type, 'owner', 'pub', NotFound],
  [MarkRead, 'member', 'pub', ALLOWED],
  [MarkRead, 'guest', 'pub', ALLOWED],
  [MarkRead, 'member', 'dm', ALLOWED],
  [MarkRead, 'member', 'archived', ALLOWED],
  [MarkRead, 'onlooker', 'pub', NotFound],
  [MarkRead, 'owner', 'pub', NotFound],

  // Join: public, or one is in it already (joining twice is fine). Its own refusal cannot be
  // reached today: see "Join's own check" below.
  [Join, 'onlooker', 'pub', ALLOWED],
  [Join, 'browser', 'pub', ALLOWED],
  [Join, 'owner', 'pub', ALLOWED],
  [Join, 'member', 'pub', ALLOWED],
  [Join, 'member', 'priv', ALLOWED],
  [Join, 'member', 'dm', ALLOWED],
  [Join, 'leaver', 'left-public', ALLOWED],
  [Join, 'onlooker', 'archived', Archived],
  [Join, 'member', 'archived', ALLOWED],

  // Leave: anything but a DM.
  [Leave, 'member', 'pub', ALLOWED],
  [Leave, 'guest', 'pub', ALLOWED],
  [Leave, 'member', 'priv', ALLOWED],
  [Leave, 'member', 'archived', ALLOWED],
  [Leave, 'onlooker', 'pub', ALLOWED],
  [Leave, 'member', 'dm', DmImmutable],
  [Leave, 'creator', 'dm', DmImmutable],
  [Leave, 'onlooker', 'group-dm', DmImmutable],

  // Manage (rename, topic): not a DM, not archived, creator or channel.manage.
  [Manage, 'creator', 'pub', ALLOWED],
  [Manage, 'owner', 'pub', ALLOWED],
  [Manage, 'manager', 'pub', ALLOWED],
  [Manage, 'manager', 'priv', ALLOWED],
  [Manage, 'leaver', 'left-public', ALLOWED],
  [Manage, 'member', 'pub', Forbidden],
  [Manage, 'guest', 'pub', Forbidden],
  [Manage, 'archivist', 'pub', Forbidden],
  [Manage, 'onlooker', 'pub', Forbidden],
  [Manage, 'member', 'priv', Forbidden],
  [Manage, 'browser', 'priv', Forbidden],
  [Manage, 'creator', 'archived', Archived],
  [Manage, 'member', 'archived', Archived],
  [Manage, 'creator', 'dm', DmImmutable],
  [Manage, 'member', 'dm', DmImmutable],
  [Manage, 'onlooker', 'group-dm', DmImmutable],

  // Archive (and unarchive): not a DM, creator or channel.archive.
  [Archive, 'creator', 'pub', ALLOWED],
  [Archive, 'owner', 'pub', ALLOWED],
  [Archive, 'archivist', 'pub', ALLOWED],
  [Archive, 'archivist', 'priv', ALLOWED],
  [Archive, 'creator', 'archived', ALLOWED],
  [Archive, 'leaver', 'left-public', ALLOWED],
  [Archive, 'member', 'pub', Forbidden],
  [Archive, 'manager', 'pub', Forbidden],
  [Archive, 'guest', 'pub', Forbidden],
  [Archive, 'onlooker', 'pub', Forbidden],
  [Archive, 'member', 'priv', Forbidden],
  [Archive, 'member', 'archived', Forbidden],
  [Archive, 'creator', 'dm', DmImmutable],
  [Archive, 'onlooker', 'group-dm', DmImmutable],

  // AddMembers: not a DM, not archived; creator, channel.manage, or a member of a public
  // channel who may browse.
  [AddMembers, 'creator', 'pub', ALLOWED],
  [AddMembers, 'member', 'pub', ALLOWED],
  [AddMembers, 'manager', 'pub', ALLOWED],
  [AddMembers, 'owner', 'pub', ALLOWED],
  [AddMembers, 'manager', 'priv', ALLOWED],
  [AddMembers, 'member', 'left-public', ALLOWED],
  [AddMembers, 'leaver', 'left-public', ALLOWED],
  [AddMembers, 'onlooker', 'pub', Forbidden],
  [AddMembers, 'guest', 'pub', Forbidden],
  [AddMembers, 'archivist', 'pub', Forbidden],
  [AddMembers, 'member', 'priv', Forbidden],
  [AddMembers, 'browser', 'priv', Forbidden],
  [AddMembers, 'creator', 'archived', Archived],
  [AddMembers, 'member', 'archived', Archived],
  [AddMembers, 'creator', 'dm', DmImmutable],
  [AddMembers, 'onlooker', 'group-dm', DmImmutable],

  // RemoveMember: not a DM; oneself, or creator or channel.manage for someone else.
  [RemoveMember, 'member', 'pub', ALLOWED, 'member'],
  [RemoveMember, 'guest', 'pub', ALLOWED, 'guest'],
  [RemoveMember, 'member', 'priv', ALLOWED, 'member'],
  [RemoveMember, 'member', 'archived', ALLOWED, 'member'],
  [RemoveMember, 'onlooker', 'pub', ALLOWED, 'onlooker'],
  [RemoveMember, 'creator', 'pub', ALLOWED, 'member'],
  [RemoveMember, 'creator', 'archived', ALLOWED, 'member'],
  [RemoveMember, 'manager', 'pub', ALLOWED, 'creator'],
  [RemoveMember, 'manager', 'priv', ALLOWED, 'member'],
  [RemoveMember, 'owner', 'pub', ALLOWED, 'member'],
  [RemoveMember, 'leaver', 'left-public', ALLOWED, 'member'],
  [RemoveMember, 'member', 'pub', Forbidden, 'creator'],
  [RemoveMember, 'member', 'pub', Forbidden, 'guest'],
  [RemoveMember, 'guest', 'pub', Forbidden, 'member'],
  [RemoveMember, 'archivist', 'pub', Forbidden, 'member'],
  [RemoveMember, 'browser', 'priv', Forbidden, 'member'],
  [RemoveMember, 'onlooker', 'pub', Forbidden, 'member'],
  [RemoveMember, 'member', 'dm', DmImmutable, 'member'],
  [RemoveMember, 'member', 'dm', DmImmutable, 'creator'],
  [RemoveMember, 'onlooker', 'group-dm', DmImmutable, 'onlooker'],
];

/** [who, which workspace, the permission asked for, expected] */
const WORKSPACE_ROWS: [Person, 'acme' | 'deleted' | 'missing', Permission | undefined, Expected][] = [
  ['guest', 'acme', undefined, ALLOWED],
  ['member', 'acme', Permission.ChannelBrowse, ALLOWED],
  ['manager', 'acme', Permission.ChannelManage, ALLOWED],
  ['owner', 'acme', Permission.WorkspaceDelete, ALLOWED],
  ['member', 'acme', Permission.ChannelManage, Forbidden],
  ['manager', 'acme', Permission.ChannelBrowse, Forbidden],
  ['guest', 'acme', Permission.ChannelBrowse, Forbidden],
  ['stranger', 'acme', undefined, NotFound],
  ['stranger', 'acme', Permission.ChannelBrowse, NotFound],
  ['deactivated', 'acme', undefined, NotFound],
  ['deactivated', 'acme', Permission.ChannelBrowse, NotFound],
  ['gone', 'deleted', undefined, NotFound],
  ['owner', 'missing', undefined, NotFound],
];

const titled = CHANNEL_ROWS.map(([action, who, where, expected, target]) => ({
  action,
  who,
  where,
  expected,
  target,
  title: `${who} ${action}${target ? (target === who ? ' (themselves)' : ` (${target})`) : ''} on ${where}`,
}));

describe('the channel rule table is covered (no database)', () => {
  it('every ChannelAction has an allowed and a refused row', () => {
    const uncovered = Object.values(ChannelAction).filter(
      (action) =>
        !CHANNEL_ROWS.some(([a, , , expected]) => a === action && expected === ALLOWED) ||
        !CHANNEL_ROWS.some(([a, , , expected]) => a === action && expected !== ALLOWED),
    );
    expect(uncovered).toEqual([]);
  });

  // Whoever may see a channel they are not in sees it because it is public, so Join's check
  // never fails after "may see". It stays as a second lock; this fails the day "may see"
  // widens, and then the check needs a row of its own.
  it("Join's own check answers NotJoinable, and cannot fail for anyone who may see the channel", () => {
    const [joinable] = CHANNEL_RULES[Join];
    expect(CHANNEL_RULES[Join]).toHaveLength(2);
    for (const type of ['public', 'private', 'dm', 'group_dm'] as const) {
      for (const member of [true, false]) {
        for (const browse of [true, false]) {
          const access = new ChannelAccess(
            new WorkspaceAccess('u', 'w', 'r', 'Role', null, new Set(browse ? [Permission.ChannelBrowse] : [])),
            { id: 'c', type, name: null, createdBy: null, archived: false, member },
          );
          if (MAY_SEE.holds(access))
            expect([type, member, browse, joinable.holds(access, {})]).toEqual([type, member, browse, true]);
          if (type === 'private' && !member) expect(joinable.holds(access, {})).toBe(false);
        }
      }
    }
    expect(joinable.refuse().code).toBe(NotJoinable);
  });
});

describe.each(databaseModes())('access rules, asked of AccessService (%s database)', (mode) => {
  let t: TestApp;
  let access: AccessService;
  const people = {} as Record<Person, string>;
  const places = {} as Record<Place, string>;
  const workspaces = {} as Record<'acme' | 'deleted' | 'missing', string>;

  beforeAll(async () => {
    t = await startTestApp({ mode });
    access = t.app.get(AccessService);
    const users = t.app.get(UsersService);
    const channels = t.app.get(ChannelsService);
    const person = async (name: Person) => (people[name] = (await users.findOrCreate(`${name}@example.com`, name)).id);
    const as = async (name: Person, workspaceId = workspaces.acme): Promise<WorkspaceAccess> =>
      (await access.forWorkspace(people[name], workspaceId))!;
    const join = (workspaceId: string, roleId: string, ...names: Person[]) =>
      t.dataSource.getRepository(WorkspaceMember).insert(names.map((name) => ({ workspaceId, userId: people[name], roleId })));
    const channel = async (place: Place, by: Person, visibility: 'public' | 'private', others: Person[]) => {
      places[place] = (await channels.create(await as(by), { name: place, visibility })).id;
      await channels.addMembers(
        { userId: people[by] },
        places[place],
        others.map((name) => people[name]),
      );
    };
    for (const name of PEOPLE) await person(name);

    workspaces.acme = (await t.app.get(WorkspacesService).create(people.owner, { name: 'Acme' })).id;
    const roles = await t.dataSource.getRepository(Role).findBy({ workspaceId: workspaces.acme });
    const builtIn = (kind: BuiltInRole) => roles.find((role) => role.builtIn === kind)!.id;
    const custom = async (name: string, permission: Permission) =>
      (await t.app.get(RolesService).create(await as('owner'), { name, permissions: [permission] })).id;
    await join(workspaces.acme, builtIn('member'), 'creator', 'member', 'onlooker', 'leaver', 'deactivated');
    await join(workspaces.acme, builtIn('guest'), 'guest');
    await join(workspaces.acme, await custom('Channel manager', Permission.ChannelManage), 'manager');
    await join(workspaces.acme, await custom('Archivist', Permission.ChannelArchive), 'archivist');
    await join(workspaces.acme, await custom('Browser', Permission.ChannelBrowse), 'browser');

    await channel('pub', 'creator', 'public', ['member', 'guest', 'manager', 'archivist', 'deactivated']);
    await channel('archived', 'creator', 'public', ['member']);
    await channels.setArchived({ userId: people.creator }, places.archived, true);
    await channel('priv', 'leaver', 'private', ['member', 'manager', 'archivist', 'browser', 'deactivated']);
    await channel('left-public', 'leaver', 'public', ['member']);
    // Each 404 below comes from the change made here: before it, the same person got in.
    for (const place of ['priv', 'left-public'] as const) {
      await access.requireChannel({ userId: people.leaver }, places[place], Manage);
      await channels.leave({ userId: people.leaver }, places[place]);
    }
    const dms = t.app.get(DmsService);
    places.dm = (await dms.open(await as('creator'), [people.member])).id;
    places['group-dm'] = (await dms.open(await as('creator'), [people.member, people.onlooker])).id;

    await access.requireChannel({ userId: people.deactivated }, places.priv, Read);
    await t.app.get(MembersService).setActive(await as('owner'), people.deactivated, false);

    workspaces.deleted = (await t.app.get(WorkspacesService).create(people.gone, { name: 'Gone' })).id;
    places.doomed = (await channels.create(await as('gone', workspaces.deleted), { name: 'doomed', visibility: 'public' })).id;
    await access.requireChannel({ userId: people.gone }, places.doomed, Manage);
    await t.app.get(WorkspacesService).remove(await as('gone', workspaces.deleted));

    places.missing = randomUUID();
    workspaces.missing = randomUUID();
  });

  afterAll(async () => {
    await t?.close();
  });

  const ask = (row: { action: ChannelAction; who: Person; where: Place; target?: Person }) =>
    access.requireChannel({ userId: people[row.who] }, places[row.where], row.action, {
      targetUserId: row.target && people[row.target],
    });

  it.each(titled)('requireChannel: $title → $expected', async (row) => {
    if (row.expected === ALLOWED) {
      expect((await ask(row)).channel.id).toBe(places[row.where]);
    } else {
      await expect(ask(row)).rejects.toMatchObject({ code: row.expected });
    }
  });

  it.each(
    WORKSPACE_ROWS.map(([who, workspace, permission, expected]) => ({
      who,
      workspace,
      permission,
      expected,
      needing: permission ?? 'no permission',
    })),
  )('requireWorkspace: $who in $workspace, needing $needing → $expected', async ({ who, workspace, permission, expected }) => {
    const asked = access.requireWorkspace({ userId: people[who] }, workspaces[workspace], permission);
    if (expected === ALLOWED) {
      expect((await asked).workspaceId).toBe(workspaces[workspace]);
    } else {
      await expect(asked).rejects.toMatchObject({ code: expected });
    }
  });

  // Codes alone cannot tell "may see" from Type's own membership check (both 404), so this
  // finds which check answers each row, from the facts the database gives (Read has no check
  // of its own: it is "may see" exactly).
  it("every check of every rule answers in some row (Join's, shown above, cannot)", async () => {
    expect(CHANNEL_RULES[Read]).toEqual([]);
    const answered = new Set<string>();
    for (const row of titled) {
      const seen = await ask({ ...row, action: Read }).catch(() => null);
      if (!seen) continue;
      const failing = CHANNEL_RULES[row.action].findIndex(
        (check) => !check.holds(seen, { targetUserId: row.target && people[row.target] }),
      );
      if (failing >= 0) answered.add(`${row.action}: ${CHANNEL_RULES[row.action][failing].describe}`);
    }
    const unanswered = Object.values(ChannelAction).flatMap((action) =>
      CHANNEL_RULES[action].map((check) => `${action}: ${check.describe}`).filter((name) => !answered.has(name)),
    );
    expect(unanswered).toEqual([`${Join}: ${CHANNEL_RULES[Join][0].describe}`]);
  });
});
