import { ChannelVisibility, CommonErrorCode, ErrorCode, Permission, WorkspaceErrorCode } from '@parley/contracts';
import { CHANNELS_LISTED, PEOPLE_SEEN, WORKSPACE_RULES, WorkspaceAction } from '@api/access/access.rules';
import { AccessService } from '@api/access/access.service';
import { WorkspaceAccess } from '@api/access/workspace-access';
import { ChannelsService } from '@api/channels/channels.service';
import { DmsService } from '@api/channels/dms.service';
import { PresenceService } from '@api/presence/presence.service';
import { Role } from '@api/rbac/entities/role.entity';
import { RolesService } from '@api/rbac/roles.service';
import { UsersService } from '@api/users/users.service';
import { WorkspaceMember } from '@api/workspaces/entities/workspace-member.entity';
import { InvitesService } from '@api/workspaces/invites.service';
import { MembersService } from '@api/workspaces/members.service';
import { WorkspacesService } from '@api/workspaces/workspaces.service';
import { databaseModes, startTestApp, TestApp } from '../support/test-app';

/*
 * Medium tier: every workspace rule (WORKSPACE_RULES in access/access.rules.ts) asked of the
 * services that apply it, on the real database, without HTTP, allowed and refused, with the
 * code the refusal answers and the check that gave it. The caller's WorkspaceAccess comes from
 * AccessService.requireWorkspace without a permission, as the guard would leave it to the
 * service, so a rule's permission is checked by the service or not at all.
 *
 * Every row is played by newcomers: the caller, and whoever they act on, join Acme for that row
 * with the role it names, so an allowed removal or demotion changes nobody another row needs.
 * The roles:
 *
 *   owner, admin, member, guest   the built-in roles (Acme's founder stays its Owner throughout)
 *   remover          custom: member.remove only
 *   manager          custom: member.manage only
 *   inviter          custom: member.invite only
 *   role-admin       custom: role.manage only
 *   public-creator   custom: channel.create.public only
 *   private-creator  custom: channel.create.private only
 *   dm-opener        custom: dm.create only
 *   browser          custom: channel.browse only
 */

const CUSTOM = {
  remover: Permission.MemberRemove,
  manager: Permission.MemberManage,
  inviter: Permission.MemberInvite,
  'role-admin': Permission.RoleManage,
  'public-creator': Permission.ChannelCreatePublic,
  'private-creator': Permission.ChannelCreatePrivate,
  'dm-opener': Permission.DmCreate,
  browser: Permission.ChannelBrowse,
} as const;
type Cast = 'owner' | 'admin' | 'member' | 'guest' | keyof typeof CUSTOM;

/** What the row acts on or hands out; each action reads the fields it needs. */
interface Situation {
  /** The member acted on (RemoveMember, ChangeMemberRole, SetMemberActive). */
  on?: Cast | 'self';
  /** The role given (ChangeMemberRole) or invited into (Invite; none: the default, Member). */
  to?: Cast;
  /** SetMemberActive: reactivate someone deactivated before, rather than deactivate. */
  reactivate?: true;
  /** EditRole: what the custom role edited holds before. */
  holding?: Permission[];
  /** CreateRole, EditRole: the permissions the role is given. */
  grant?: Permission[];
  visibility?: ChannelVisibility;
  /** OpenDm: with whom, and what the caller shares with them. */
  with?: 'stranger' | 'channel-peer' | 'dm-peer' | 'channel-peer-and-stranger';
}

const ALLOWED = 'allowed';
/** What a `sees` filter lets through, each way. */
const EVERYONE = 'everyone';
const CHANNEL_PEERS = 'channel peers only';
const PUBLIC_TOO = 'public channels too';
const OWN_CHANNELS = 'own channels only';
type Seen = typeof EVERYONE | typeof CHANNEL_PEERS | typeof PUBLIC_TOO | typeof OWN_CHANNELS;
type Expected = typeof ALLOWED | ErrorCode | Seen;
/** The check that refuses: the rule's permission, or its request or target check at that index. */
type By = 'permission' | `request.${number}` | `target.${number}`;

/** [action, who, situation, expected, which check refuses] */
type Row = [WorkspaceAction, Cast, Situation, Expected, By?];

const {
  SeePeople,
  RemoveMember,
  ChangeMemberRole,
  SetMemberActive,
  Invite,
  CreateRole,
  EditRole,
  ListChannels,
  CreateChannel,
  OpenDm,
} = WorkspaceAction;
const { Forbidden } = CommonErrorCode;
const { RoleAboveYours, MemberDeactivated } = WorkspaceErrorCode;
/** Both ways of each `sees` filter. */
const SEEN: Partial<Record<WorkspaceAction, readonly Seen[]>> = {
  [SeePeople]: [EVERYONE, CHANNEL_PEERS],
  [ListChannels]: [PUBLIC_TOO, OWN_CHANNELS],
};

const ROWS: Row[] = [
  // SeePeople: a guest sees only the people who share a channel with them; everyone else all.
  [SeePeople, 'guest', {}, CHANNEL_PEERS],
  [SeePeople, 'member', {}, EVERYONE],
  [SeePeople, 'owner', {}, EVERYONE],
  // A custom role with no permission is not a guest.
  [SeePeople, 'browser', {}, EVERYONE],
  [SeePeople, 'dm-opener', {}, EVERYONE],

  // RemoveMember: yourself (leaving), or member.remove and a role you cover.
  [RemoveMember, 'member', { on: 'self' }, ALLOWED],
  [RemoveMember, 'guest', { on: 'self' }, ALLOWED],
  [RemoveMember, 'owner', { on: 'self' }, ALLOWED],
  [RemoveMember, 'admin', { on: 'member' }, ALLOWED],
  [RemoveMember, 'admin', { on: 'admin' }, ALLOWED],
  [RemoveMember, 'owner', { on: 'owner' }, ALLOWED],
  [RemoveMember, 'remover', { on: 'guest' }, ALLOWED],
  [RemoveMember, 'remover', { on: 'remover' }, ALLOWED],
  [RemoveMember, 'member', { on: 'member' }, Forbidden, 'request.0'],
  [RemoveMember, 'member', { on: 'guest' }, Forbidden, 'request.0'],
  [RemoveMember, 'guest', { on: 'guest' }, Forbidden, 'request.0'],
  [RemoveMember, 'manager', { on: 'guest' }, Forbidden, 'request.0'],
  [RemoveMember, 'admin', { on: 'owner' }, RoleAboveYours, 'target.0'],
  // Member holds what remover does not (channel.create.public, …).
  [RemoveMember, 'remover', { on: 'member' }, RoleAboveYours, 'target.0'],
  [RemoveMember, 'remover', { on: 'manager' }, RoleAboveYours, 'target.0'],

  // ChangeMemberRole: member.manage, a role you cover, into a role you cover.
  [ChangeMemberRole, 'owner', { on: 'member', to: 'admin' }, ALLOWED],
  [ChangeMemberRole, 'owner', { on: 'admin', to: 'owner' }, ALLOWED],
  [ChangeMemberRole, 'admin', { on: 'member', to: 'guest' }, ALLOWED],
  [ChangeMemberRole, 'admin', { on: 'self', to: 'member' }, ALLOWED],
  [ChangeMemberRole, 'manager', { on: 'guest', to: 'manager' }, ALLOWED],
  [ChangeMemberRole, 'member', { on: 'guest', to: 'guest' }, Forbidden, 'permission'],
  [ChangeMemberRole, 'member', { on: 'self', to: 'guest' }, Forbidden, 'permission'],
  [ChangeMemberRole, 'remover', { on: 'guest', to: 'remover' }, Forbidden, 'permission'],
  [ChangeMemberRole, 'admin', { on: 'owner', to: 'member' }, RoleAboveYours, 'target.0'],
  [ChangeMemberRole, 'manager', { on: 'member', to: 'guest' }, RoleAboveYours, 'target.0'],
  [ChangeMemberRole, 'admin', { on: 'member', to: 'owner' }, RoleAboveYours, 'target.1'],
  [ChangeMemberRole, 'admin', { on: 'self', to: 'owner' }, RoleAboveYours, 'target.1'],
  [ChangeMemberRole, 'manager', { on: 'guest', to: 'member' }, RoleAboveYours, 'target.1'],

  // SetMemberActive: member.manage, not yourself, a role you cover.
  [SetMemberActive, 'admin', { on: 'member' }, ALLOWED],
  [SetMemberActive, 'owner', { on: 'admin' }, ALLOWED],
  [SetMemberActive, 'owner', { on: 'owner' }, ALLOWED],
  [SetMemberActive, 'manager', { on: 'guest' }, ALLOWED],
  [SetMemberActive, 'admin', { on: 'member', reactivate: true }, ALLOWED],
  [SetMemberActive, 'manager', { on: 'manager', reactivate: true }, ALLOWED],
  [SetMemberActive, 'member', { on: 'guest' }, Forbidden, 'permission'],
  [SetMemberActive, 'remover', { on: 'guest' }, Forbidden, 'permission'],
  // The permission answers before "not yourself".
  [SetMemberActive, 'member', { on: 'self' }, Forbidden, 'permission'],
  [SetMemberActive, 'member', { on: 'guest', reactivate: true }, Forbidden, 'permission'],
  [SetMemberActive, 'admin', { on: 'self' }, MemberDeactivated, 'request.0'],
  [SetMemberActive, 'owner', { on: 'self' }, MemberDeactivated, 'request.0'],
  [SetMemberActive, 'manager', { on: 'self' }, MemberDeactivated, 'request.0'],
  [SetMemberActive, 'admin', { on: 'owner' }, RoleAboveYours, 'target.0'],
  [SetMemberActive, 'manager', { on: 'member' }, RoleAboveYours, 'target.0'],
  [SetMemberActive, 'manager', { on: 'admin', reactivate: true }, RoleAboveYours, 'target.0'],

  // Invite: member.invite, into a role you cover.
  [Invite, 'member', {}, ALLOWED],
  [Invite, 'member', { to: 'guest' }, ALLOWED],
  [Invite, 'admin', { to: 'admin' }, ALLOWED],
  [Invite, 'owner', { to: 'owner' }, ALLOWED],
  [Invite, 'inviter', { to: 'guest' }, ALLOWED],
  [Invite, 'inviter', { to: 'inviter' }, ALLOWED],
  [Invite, 'guest', { to: 'guest' }, Forbidden, 'permission'],
  [Invite, 'remover', { to: 'guest' }, Forbidden, 'permission'],
  [Invite, 'member', { to: 'admin' }, RoleAboveYours, 'target.0'],
  [Invite, 'admin', { to: 'owner' }, RoleAboveYours, 'target.0'],
  // The default role, Member, holds more than member.invite.
  [Invite, 'inviter', {}, RoleAboveYours, 'target.0'],

  // CreateRole: role.manage, giving only what you hold.
  [CreateRole, 'owner', { grant: [Permission.WorkspaceDelete] }, ALLOWED],
  [CreateRole, 'admin', { grant: [Permission.AuditRead, Permission.MemberManage] }, ALLOWED],
  [CreateRole, 'role-admin', { grant: [Permission.RoleManage] }, ALLOWED],
  [CreateRole, 'role-admin', { grant: [] }, ALLOWED],
  [CreateRole, 'member', { grant: [] }, Forbidden, 'permission'],
  [CreateRole, 'guest', { grant: [] }, Forbidden, 'permission'],
  [CreateRole, 'admin', { grant: [Permission.WorkspaceDelete] }, RoleAboveYours, 'request.0'],
  [CreateRole, 'role-admin', { grant: [Permission.RoleManage, Permission.MemberRemove] }, RoleAboveYours, 'request.0'],

  // EditRole: role.manage, a role you cover, given only what you hold.
  [EditRole, 'owner', { holding: [Permission.WorkspaceDelete], grant: [Permission.AuditRead] }, ALLOWED],
  [EditRole, 'admin', { holding: [Permission.AuditRead], grant: [Permission.AuditExport] }, ALLOWED],
  [EditRole, 'role-admin', { holding: [Permission.RoleManage], grant: [] }, ALLOWED],
  [EditRole, 'role-admin', { holding: [], grant: [Permission.RoleManage] }, ALLOWED],
  [EditRole, 'member', { holding: [], grant: [] }, Forbidden, 'permission'],
  [EditRole, 'manager', { holding: [], grant: [] }, Forbidden, 'permission'],
  [EditRole, 'admin', { holding: [Permission.WorkspaceDelete], grant: [] }, RoleAboveYours, 'target.0'],
  [EditRole, 'role-admin', { holding: [Permission.MemberRemove], grant: [Permission.RoleManage] }, RoleAboveYours, 'target.0'],
  [EditRole, 'admin', { holding: [], grant: [Permission.WorkspaceDelete] }, RoleAboveYours, 'target.1'],
  [EditRole, 'role-admin', { holding: [Permission.RoleManage], grant: [Permission.MemberRemove] }, RoleAboveYours, 'target.1'],

  // ListChannels: one's own channels, and the public ones only with channel.browse.
  [ListChannels, 'member', {}, PUBLIC_TOO],
  [ListChannels, 'owner', {}, PUBLIC_TOO],
  [ListChannels, 'browser', {}, PUBLIC_TOO],
  [ListChannels, 'guest', {}, OWN_CHANNELS],
  [ListChannels, 'manager', {}, OWN_CHANNELS],
  [ListChannels, 'public-creator', {}, OWN_CHANNELS],

  // CreateChannel: the permission for its visibility.
  [CreateChannel, 'member', { visibility: 'public' }, ALLOWED],
  [CreateChannel, 'member', { visibility: 'private' }, ALLOWED],
  [CreateChannel, 'owner', { visibility: 'private' }, ALLOWED],
  [CreateChannel, 'public-creator', { visibility: 'public' }, ALLOWED],
  [CreateChannel, 'private-creator', { visibility: 'private' }, ALLOWED],
  [CreateChannel, 'public-creator', { visibility: 'private' }, Forbidden, 'request.0'],
  [CreateChannel, 'private-creator', { visibility: 'public' }, Forbidden, 'request.0'],
  [CreateChannel, 'guest', { visibility: 'public' }, Forbidden, 'request.0'],
  [CreateChannel, 'guest', { visibility: 'private' }, Forbidden, 'request.0'],
  [CreateChannel, 'browser', { visibility: 'public' }, Forbidden, 'request.0'],

  // OpenDm: dm.create, or only people who share a channel (not a DM) with you.
  [OpenDm, 'member', { with: 'stranger' }, ALLOWED],
  [OpenDm, 'dm-opener', { with: 'stranger' }, ALLOWED],
  [OpenDm, 'dm-opener', { with: 'channel-peer-and-stranger' }, ALLOWED],
  [OpenDm, 'guest', { with: 'channel-peer' }, ALLOWED],
  [OpenDm, 'browser', { with: 'channel-peer' }, ALLOWED],
  [OpenDm, 'guest', { with: 'stranger' }, Forbidden, 'target.0'],
  [OpenDm, 'browser', { with: 'stranger' }, Forbidden, 'target.0'],
  [OpenDm, 'guest', { with: 'channel-peer-and-stranger' }, Forbidden, 'target.0'],
  // Sharing the DM itself is not sharing a channel.
  [OpenDm, 'guest', { with: 'dm-peer' }, Forbidden, 'target.0'],
];

/** The checks of a rule, by the names rows give them, with their words. */
function checksOf(action: WorkspaceAction): Map<By, string> {
  const rule = WORKSPACE_RULES[action];
  return new Map<By, string>([
    ...(rule.permission ? [['permission', `needs ${rule.permission}`] as [By, string]] : []),
    ...(rule.request ?? []).map((check, i): [By, string] => [`request.${i}`, check.describe]),
    ...(rule.target ?? []).map((check, i): [By, string] => [`target.${i}`, check.describe]),
  ]);
}

const anA = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

const situationTitle = (s: Situation) =>
  [
    s.on && (s.on === 'self' ? 'on themselves' : `on ${anA(s.on)}`),
    s.reactivate && 'reactivating',
    s.to && `into ${s.to}`,
    s.holding && `editing [${s.holding.join(' ')}]`,
    s.grant && `giving [${s.grant.join(' ')}]`,
    s.visibility,
    s.with && `with ${anA(s.with)}`,
  ]
    .filter(Boolean)
    .join(', ');

const titled = ROWS.map(([action, who, situation, expected, by]) => ({
  action,
  who,
  situation,
  expected,
  by,
  title: `${who} ${action} ${situationTitle(situation)}`.trim(),
}));
type Titled = (typeof titled)[number];

describe('the workspace rule table is covered (no database)', () => {
  it('every WorkspaceAction has an allowed and a refused row, or, for a `sees` filter, a row each way', () => {
    const uncovered = Object.values(WorkspaceAction).filter((action) => {
      const outcomes = new Set(ROWS.filter(([a]) => a === action).map(([, , , expected]) => expected));
      if (WORKSPACE_RULES[action].sees) return SEEN[action]?.length !== 2 || SEEN[action].some((seen) => !outcomes.has(seen));
      return !outcomes.has(ALLOWED) || [...outcomes].every((expected) => expected === ALLOWED);
    });
    expect(uncovered).toEqual([]);
  });

  it('every check of every rule (its permission, request and target checks) refuses in some row', () => {
    const refusing = new Set(ROWS.filter(([, , , , by]) => by).map(([action, , , , by]) => `${action} ${by}`));
    const unrefused = Object.values(WorkspaceAction).flatMap((action) =>
      [...checksOf(action)].filter(([by]) => !refusing.has(`${action} ${by}`)).map(([, words]) => `${action}: ${words}`),
    );
    expect(unrefused).toEqual([]);
  });

  it('each row expects what its rule can answer: a refusal names a check, a filter a way it filters', () => {
    const misfits = titled.filter(({ action, expected, by }) => {
      if (WORKSPACE_RULES[action].sees) return !SEEN[action]?.includes(expected as Seen) || by !== undefined;
      if (expected === ALLOWED) return by !== undefined;
      return by === undefined || !checksOf(action).has(by);
    });
    expect(misfits.map(({ title }) => title)).toEqual([]);
  });
});

describe.each(databaseModes())('workspace rules, applied by the services (%s database)', (mode) => {
  let t: TestApp;
  let workspaceId: string;
  let founder: WorkspaceAccess;
  const roleIds = {} as Record<Cast, string>;
  let seq = 0;

  /** Each check's `holds`, watched where the services call it (the table's own objects). */
  const watched: { action: WorkspaceAction; by: By; spy: jest.SpyInstance }[] = [];
  /** The `sees` filters, likewise: PEOPLE_SEEN's, then CHANNELS_LISTED's. */
  let filters: jest.SpyInstance[] = [];

  beforeAll(async () => {
    t = await startTestApp({ mode });
    const owner = await t.app.get(UsersService).findOrCreate('founder@example.com', 'Founder');
    workspaceId = (await t.app.get(WorkspacesService).create(owner.id, { name: 'Acme' })).id;
    founder = await accessOf(owner.id);
    for (const role of await t.dataSource.getRepository(Role).findBy({ workspaceId })) roleIds[role.builtIn as Cast] = role.id;
    for (const [name, permission] of Object.entries(CUSTOM)) {
      roleIds[name as Cast] = (await t.app.get(RolesService).create(founder, { name, permissions: [permission] })).id;
    }
    filters = [jest.spyOn(PEOPLE_SEEN, 'onlyChannelPeers'), jest.spyOn(CHANNELS_LISTED, 'withPublic')];
    for (const action of Object.values(WorkspaceAction)) {
      const rule = WORKSPACE_RULES[action];
      (rule.request ?? []).forEach((check, i) => watched.push({ action, by: `request.${i}`, spy: jest.spyOn(check, 'holds') }));
      (rule.target ?? []).forEach((check, i) => watched.push({ action, by: `target.${i}`, spy: jest.spyOn(check, 'holds') }));
    }
  });

  afterAll(async () => {
    for (const { spy } of watched) spy.mockRestore();
    for (const spy of filters) spy.mockRestore();
    await t?.close();
  });

  /** What the service gets: the membership, no permission asked (the rule's is the service's to check). */
  const accessOf = (userId: string) => t.app.get(AccessService).requireWorkspace({ userId }, workspaceId);

  /** Someone new in Acme with the role. */
  async function newcomer(role: Cast): Promise<string> {
    const user = await t.app.get(UsersService).findOrCreate(`person-${++seq}@example.com`, `${role} ${seq}`);
    await t.dataSource.getRepository(WorkspaceMember).insert({ workspaceId, userId: user.id, roleId: roleIds[role] });
    return user.id;
  }

  /** A private channel of the founder's with these people in it. */
  async function channelWith(...userIds: string[]): Promise<string> {
    const channels = t.app.get(ChannelsService);
    const { id } = await channels.create(founder, { name: `room-${++seq}`, visibility: 'private' });
    await channels.addMembers({ userId: founder.userId }, id, userIds);
    return id;
  }

  /**
   * Sets the row's scene up and returns the service call the row asks for. A filter's call
   * resolves to what it let through (checking, on the way, what it must always let through).
   */
  async function prepare({ action, who, situation: s }: Titled): Promise<() => Promise<unknown>> {
    const me = await newcomer(who);
    const access = await accessOf(me);
    const target = s.on === 'self' ? me : s.on && (await newcomer(s.on));
    switch (action) {
      case SeePeople: {
        const peer = await newcomer('member');
        const outsider = await newcomer('member');
        await channelWith(me, peer);
        return async () => {
          const listed = (await t.app.get(MembersService).list(access)).map((m) => m.userId);
          const present = (await t.app.get(PresenceService).forWorkspace(access)).map((p) => p.userId);
          for (const seen of [listed, present]) expect(seen).toEqual(expect.arrayContaining([me, peer]));
          expect(present.includes(outsider)).toBe(listed.includes(outsider));
          return listed.includes(outsider) ? EVERYONE : CHANNEL_PEERS;
        };
      }
      case RemoveMember:
        return () => t.app.get(MembersService).remove(access, target!);
      case ChangeMemberRole:
        return () => t.app.get(MembersService).changeRole(access, target!, roleIds[s.to!]);
      case SetMemberActive:
        if (s.reactivate) await t.app.get(MembersService).setActive(founder, target!, false);
        return () => t.app.get(MembersService).setActive(access, target!, !!s.reactivate);
      case Invite:
        return () =>
          t.app.get(InvitesService).create(access, { email: `invited-${++seq}@example.com`, roleId: s.to && roleIds[s.to] });
      case CreateRole:
        return () => t.app.get(RolesService).create(access, { name: `made-${++seq}`, permissions: s.grant! });
      case EditRole: {
        const { id } = await t.app.get(RolesService).create(founder, { name: `edited-${++seq}`, permissions: s.holding! });
        return () => t.app.get(RolesService).update(access, id, { permissions: s.grant! });
      }
      case ListChannels: {
        const channels = t.app.get(ChannelsService);
        const mine = await channelWith(me);
        const open = (await channels.create(founder, { name: `open-${++seq}`, visibility: 'public' })).id;
        const hidden = (await channels.create(founder, { name: `hidden-${++seq}`, visibility: 'private' })).id;
        return async () => {
          const listed = (await channels.list(access)).map((c) => c.id);
          expect(listed).toContain(mine);
          expect(listed).not.toContain(hidden);
          return listed.includes(open) ? PUBLIC_TOO : OWN_CHANNELS;
        };
      }
      case CreateChannel:
        return () => t.app.get(ChannelsService).create(access, { name: `new-${++seq}`, visibility: s.visibility! });
      case OpenDm: {
        const others: string[] = [];
        if (s.with !== 'stranger') {
          const peer = await newcomer('member');
          if (s.with === 'dm-peer') await t.app.get(DmsService).open(await accessOf(peer), [me]);
          else await channelWith(me, peer);
          others.push(peer);
        }
        if (s.with !== 'channel-peer' && s.with !== 'dm-peer') others.push(await newcomer('member'));
        return () => t.app.get(DmsService).open(access, others);
      }
    }
  }

  /** Which watched checks of `action` were asked, and what each answered. */
  const answers = (action: WorkspaceAction) =>
    watched
      .filter((w) => w.action === action && w.spy.mock.results.length > 0)
      .map(({ by, spy }) => [by, spy.mock.results.map((result) => (result.type === 'return' ? result.value : result.type))]);

  it.each(titled)('$title → $expected', async (row) => {
    const call = await prepare(row);
    for (const { spy } of watched) spy.mockClear();
    for (const spy of filters) spy.mockClear();

    if (WORKSPACE_RULES[row.action].sees) {
      expect(await call()).toBe(row.expected);
      // The services decided by the rule's filter (the member list and presence ask PEOPLE_SEEN
      // once each), and by no check of another rule.
      expect(filters.map((spy) => spy.mock.calls.length)).toEqual([
        row.action === SeePeople ? 2 : 0,
        row.action === ListChannels ? 1 : 0,
      ]);
      expect(watched.filter(({ spy }) => spy.mock.calls.length > 0).map(({ action, by }) => `${action} ${by}`)).toEqual([]);
      return;
    }

    const checks = [...checksOf(row.action).keys()].filter((by) => by !== 'permission');
    if (row.expected === ALLOWED) {
      await call();
      // Every check of the rule was asked, once, and held.
      expect(answers(row.action)).toEqual(checks.map((by) => [by, [true]]));
      return;
    }
    const { permission } = WORKSPACE_RULES[row.action];
    await expect(call()).rejects.toMatchObject(
      row.by === 'permission'
        ? { code: row.expected, message: `You need the permission ${permission} to do that` }
        : { code: row.expected },
    );
    // The checks before the refusing one held, it did not, and none after it was asked.
    const upTo = row.by === 'permission' ? 0 : checks.indexOf(row.by!) + 1;
    expect(answers(row.action)).toEqual(checks.slice(0, upTo).map((by, i) => [by, [i < upTo - 1]]));
  });
});
