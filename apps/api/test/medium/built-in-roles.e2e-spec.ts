import { randomUUID } from 'node:crypto';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLE_PERMISSIONS,
  BuiltInRole,
  CommonErrorCode,
  Permission,
  RoleCatalogue,
  WorkspaceErrorCode,
} from '@parley/contracts';
import { EventBus } from '@api/events/event-bus';
import { AppException } from '@api/common/app-exception';
import { APP_CONFIG, AppConfig } from '@api/config/config';
import { BuiltInRolesFromCatalogue1764600000000 } from '@api/database/migrations/1764600000000-BuiltInRolesFromCatalogue';
import { RateLimitService } from '@api/rate-limit/rate-limit.service';
import { MessageFilesService } from '@api/files/message-files.service';
import { MessageRepository } from '@api/messages/message.repository';
import { MessagesService } from '@api/messages/messages.service';
import { MentionResolver } from '@api/messages/mention-resolver';
import { ChannelAction } from '@api/access/access.rules';
import { AccessService } from '@api/access/access.service';
import { MembershipRepository } from '@api/access/membership.repository';
import { Role } from '@api/rbac/entities/role.entity';
import { RoleRepository } from '@api/rbac/role.repository';
import { RolesService } from '@api/rbac/roles.service';
import { WorkspaceAccess } from '@api/access/workspace-access';
import { UsersService } from '@api/users/users.service';
import { WorkspaceMember } from '@api/workspaces/entities/workspace-member.entity';
import { MembersService } from '@api/workspaces/members.service';
import { WorkspaceRepository } from '@api/workspaces/workspace.repository';
import { WorkspacesService } from '@api/workspaces/workspaces.service';
import { databaseModes, startTestApp, TestApp } from '../support/test-app';

/**
 * Medium tier: the services on the real database, without HTTP. Built-in roles store no
 * permissions; what they may do comes from the catalogue of the running version. "A later
 * version" is stood for by a catalogue with one more permission, handed to the services the
 * way the app hands them the contracts' one (the ROLE_CATALOGUE_TOKEN provider).
 */
describe.each(databaseModes())('built-in roles follow the catalogue of the running version (%s database)', (mode) => {
  const REACT = 'message.react' as Permission;
  /** The next version: `message.react` exists, Owners and Admins hold it, Members do not. */
  const later: RoleCatalogue = {
    permissions: [...ALL_PERMISSIONS, REACT],
    builtIn: {
      ...BUILT_IN_ROLE_PERMISSIONS,
      owner: [...BUILT_IN_ROLE_PERMISSIONS.owner, REACT],
      admin: [...BUILT_IN_ROLE_PERMISSIONS.admin, REACT],
    },
  };

  let t: TestApp;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp({ mode });
  });

  afterAll(async () => {
    await t?.close();
  });

  const user = (name: string) => t.app.get(UsersService).findOrCreate(`${name.toLowerCase()}-${++seq}@example.com`, name);

  /** A workspace made by the running version, with its Owner. */
  async function workspace(name: string): Promise<{ workspaceId: string; ownerId: string; roles: Record<BuiltInRole, string> }> {
    const owner = await user(`${name} Owner`);
    const { id } = await t.app.get(WorkspacesService).create(owner.id, { name });
    const rows = await t.dataSource.getRepository(Role).findBy({ workspaceId: id });
    const roles = Object.fromEntries(rows.filter((r) => r.builtIn).map((r) => [r.builtIn, r.id])) as Record<BuiltInRole, string>;
    return { workspaceId: id, ownerId: owner.id, roles };
  }

  /** Puts a new person into the workspace with a role (setup: the invite flow has its own tests). */
  async function memberWith(workspaceId: string, roleId: string, name: string): Promise<string> {
    const person = await user(name);
    await t.dataSource.getRepository(WorkspaceMember).insert({ workspaceId, userId: person.id, roleId });
    return person.id;
  }

  /** Every roles row as PostgreSQL prints it, with the version it was written in (xmin moves on any UPDATE, even to equal values). */
  const rolesTable = (): Promise<{ xmin: string; row: string }[]> =>
    t.dataSource.query(`SELECT r.xmin::text AS xmin, r::text AS row FROM roles r ORDER BY r.id`);

  const generalOf = async (workspaceId: string): Promise<string> =>
    (await t.dataSource.query(`SELECT id FROM channels WHERE workspace_id = $1 AND name = 'general'`, [workspaceId]))[0].id;

  const must = <T>(value: T | null): T => {
    expect(value).not.toBeNull();
    return value!;
  };

  it('a new workspace stores no permission on its built-in roles', async () => {
    const { workspaceId } = await workspace('Fresh');
    const rows = await t.dataSource.getRepository(Role).findBy({ workspaceId });
    expect(rows.map((r) => [r.builtIn, r.permissions]).sort()).toEqual([
      ['admin', []],
      ['guest', []],
      ['member', []],
      ['owner', []],
    ]);
  });

  it('an existing Owner holds a permission added to the catalogue, with no row changed', async () => {
    const { workspaceId, ownerId, roles } = await workspace('Acme');
    const memberId = await memberWith(workspaceId, roles.member, 'Member');
    const adminId = await memberWith(workspaceId, roles.admin, 'Admin');
    const general = await generalOf(workspaceId);
    const before = await rolesTable();

    const running = t.app.get(AccessService);
    const next = new AccessService(t.app.get(MembershipRepository), later);
    // The running version does not know the permission.
    expect(must(await running.forWorkspace(ownerId, workspaceId)).can(REACT)).toBe(false);
    // The next one gives it to the Owner made before it, through both hot statements...
    expect(must(await next.forWorkspace(ownerId, workspaceId)).can(REACT)).toBe(true);
    expect((await next.requireChannel({ userId: ownerId }, general, ChannelAction.Read)).can(REACT)).toBe(true);
    expect(must(await next.forWorkspace(adminId, workspaceId)).can(REACT)).toBe(true);
    // ...and to nobody its catalogue leaves out.
    expect(must(await next.forWorkspace(memberId, workspaceId)).can(REACT)).toBe(false);
    // Everything else an Owner may do is unchanged.
    expect([...must(await next.forWorkspace(ownerId, workspaceId)).permissions]).toEqual([...ALL_PERMISSIONS, REACT]);

    // The roles API of the next version lists it, as computed.
    const ownerAccess = must(await next.forWorkspace(ownerId, workspaceId));
    const listed = await new RolesService(t.dataSource, t.app.get(RoleRepository), t.app.get(MembershipRepository), later).list(ownerAccess);
    expect(listed.map((r) => [r.builtIn, r.permissions.includes(REACT)])).toEqual([
      ['owner', true],
      ['admin', true],
      ['member', false],
      ['guest', false],
    ]);
    const workspaces = new WorkspacesService(
      t.dataSource,
      t.app.get(WorkspaceRepository),
      t.app.get(RoleRepository),
      t.app.get(MembershipRepository),
      t.app.get(EventBus),
      later,
    );
    const dto = (await workspaces.listForUser(ownerId)).find((w) => w.id === workspaceId);
    expect(dto?.permissions).toContain(REACT);

    // Not one row was written: the same bytes, in the same row versions.
    expect(await rolesTable()).toEqual(before);
  });

  it('a custom role keeps its stored set: it gains a new permission only by being given it', async () => {
    const { workspaceId, ownerId } = await workspace('Custom');
    const ownerAccess = must(await t.app.get(AccessService).forWorkspace(ownerId, workspaceId));
    const auditor = await t.app.get(RolesService).create(ownerAccess, { name: 'Auditor', permissions: [Permission.AuditRead] });
    const auditorId = await memberWith(workspaceId, auditor.id, 'Auditor');
    const next = new AccessService(t.app.get(MembershipRepository), later);
    expect([...must(await next.forWorkspace(auditorId, workspaceId)).permissions]).toEqual([Permission.AuditRead]);

    // A name the running catalogue does not know (stored by a later version, then rolled back) grants nothing.
    await t.dataSource.getRepository(Role).update({ id: auditor.id }, { permissions: [Permission.AuditRead, REACT] });
    expect([...must(await t.app.get(AccessService).forWorkspace(auditorId, workspaceId)).permissions]).toEqual([
      Permission.AuditRead,
    ]);
    expect((await t.app.get(RolesService).list(ownerAccess)).find((r) => r.id === auditor.id)?.permissions).toEqual([
      Permission.AuditRead,
    ]);
    expect([...must(await next.forWorkspace(auditorId, workspaceId)).permissions]).toEqual([Permission.AuditRead, REACT]);
  });

  it('editing or deleting a built-in role stays refused', async () => {
    const { workspaceId, ownerId, roles } = await workspace('Fixed');
    const ownerAccess = must(await t.app.get(AccessService).forWorkspace(ownerId, workspaceId));
    const service = t.app.get(RolesService);
    const before = await rolesTable();
    for (const roleId of Object.values(roles)) {
      await expect(service.update(ownerAccess, roleId, { permissions: [] })).rejects.toMatchObject({
        code: WorkspaceErrorCode.RoleBuiltIn,
      });
      await expect(service.remove(ownerAccess, roleId)).rejects.toMatchObject({ code: WorkspaceErrorCode.RoleBuiltIn });
    }
    expect(await rolesTable()).toEqual(before);
  });

  it('an Admin still cannot hand out, or take away, the Owner role (resolved, not stored)', async () => {
    const { workspaceId, ownerId, roles } = await workspace('Ranks');
    const adminId = await memberWith(workspaceId, roles.admin, 'Admin');
    const memberId = await memberWith(workspaceId, roles.member, 'Member');
    const adminAccess = must(await t.app.get(AccessService).forWorkspace(adminId, workspaceId));
    const members = t.app.get(MembersService);
    await expect(members.changeRole(adminAccess, memberId, roles.owner)).rejects.toMatchObject({
      code: WorkspaceErrorCode.RoleAboveYours,
    });
    await expect(members.changeRole(adminAccess, ownerId, roles.member)).rejects.toMatchObject({
      code: WorkspaceErrorCode.RoleAboveYours,
    });
    // Within its own rank it may.
    await expect(members.changeRole(adminAccess, memberId, roles.guest)).resolves.toMatchObject({ role: { builtIn: 'guest' } });
  });

  it('reading channels over many roles (sync, the reason a send is refused) resolves browsing from the catalogue', async () => {
    const { workspaceId, ownerId, roles } = await workspace('Readers');
    const general = await generalOf(workspaceId);
    const ownerAccess = must(await t.app.get(AccessService).forWorkspace(ownerId, workspaceId));
    const browser = await t.app
      .get(RolesService)
      .create(ownerAccess, { name: 'Browser', permissions: [Permission.ChannelBrowse] });
    const reader = await t.app.get(RolesService).create(ownerAccess, { name: 'Reader', permissions: [Permission.AuditRead] });
    // None of them is in #general: a browser reads it as a public channel, the others not at all.
    const people = {
      member: await memberWith(workspaceId, roles.member, 'Member'),
      guest: await memberWith(workspaceId, roles.guest, 'Guest'),
      browser: await memberWith(workspaceId, browser.id, 'Browser'),
      reader: await memberWith(workspaceId, reader.id, 'Reader'),
    };
    const messages = t.app.get(MessagesService);
    await messages.send(ownerId, general, { text: 'hello', clientMsgId: randomUUID() });

    const reads = async (userId: string) => (await messages.sync(userId, { [general]: 0 })).messages.map((m) => m.text);
    expect(await reads(people.member)).toEqual(['hello']);
    expect(await reads(people.browser)).toEqual(['hello']);
    expect(await reads(people.guest)).toEqual([]);
    expect(await reads(people.reader)).toEqual([]);

    // A send from someone who may read says "join first"; from someone who may not, "no such channel".
    const refusal = (userId: string) =>
      messages.send(userId, general, { text: 'hi', clientMsgId: randomUUID() }).catch((error: AppException) => error.code);
    expect(await refusal(people.member)).toBe(CommonErrorCode.Forbidden);
    expect(await refusal(people.browser)).toBe(CommonErrorCode.Forbidden);
    expect(await refusal(people.guest)).toBe(CommonErrorCode.NotFound);
    expect(await refusal(people.reader)).toBe(CommonErrorCode.NotFound);

    // Under a catalogue whose Members may not browse, the same rows read differently.
    const narrower: RoleCatalogue = { ...later, builtIn: { ...later.builtIn, member: [] } };
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const nextMessages = new MessagesService(
      t.dataSource,
      new MessageRepository(t.dataSource, narrower),
      t.app.get(MessageFilesService),
      t.app.get(EventBus),
      new AccessService(t.app.get(MembershipRepository), narrower),
      t.app.get(MentionResolver),
      config,
      t.app.get(RateLimitService),
    );
    expect((await nextMessages.sync(people.member, { [general]: 0 })).messages).toEqual([]);
    expect((await nextMessages.sync(people.browser, { [general]: 0 })).messages.map((m) => m.text)).toEqual(['hello']);
  });

  it('the migration empties the copies an earlier version stored, decisions unchanged; down restores them', async () => {
    const { workspaceId, ownerId, roles } = await workspace('Legacy');
    const memberId = await memberWith(workspaceId, roles.member, 'Member');
    const guestId = await memberWith(workspaceId, roles.guest, 'Guest');
    const ownerAccess = must(await t.app.get(AccessService).forWorkspace(ownerId, workspaceId));
    const custom = await t.app.get(RolesService).create(ownerAccess, { name: 'Exporter', permissions: [Permission.AuditExport] });
    const repository = t.dataSource.getRepository(Role);
    const migration = new BuiltInRolesFromCatalogue1764600000000();
    const run = async (step: 'up' | 'down') => {
      const runner = t.dataSource.createQueryRunner();
      try {
        await migration[step](runner);
      } finally {
        await runner.release();
      }
    };
    const stored = async () => (await repository.findBy({ workspaceId })).map((r) => [r.builtIn ?? r.name, r.permissions]).sort();
    const decisions = async () =>
      Promise.all(
        [ownerId, memberId, guestId].map(async (id) => [
          ...must(await t.app.get(AccessService).forWorkspace(id, workspaceId)).permissions,
        ]),
      );
    const expected = [[...ALL_PERMISSIONS], [...BUILT_IN_ROLE_PERMISSIONS.member], []];
    const copies = [
      ['Exporter', [Permission.AuditExport]],
      ['admin', [...BUILT_IN_ROLE_PERMISSIONS.admin]],
      ['guest', []],
      ['member', [...BUILT_IN_ROLE_PERMISSIONS.member]],
      ['owner', [...BUILT_IN_ROLE_PERMISSIONS.owner]],
    ];
    const emptied = [
      ['Exporter', [Permission.AuditExport]],
      ['admin', []],
      ['guest', []],
      ['member', []],
      ['owner', []],
    ];

    // Back to the earlier version's rows: a copy of the catalogue in every built-in role...
    await run('down');
    expect(await stored()).toEqual(copies);
    // ...and, for the Owner, an older copy still (one without audit.export). The copy is already
    // ignored: the Owner has audit.export before the migration runs.
    await repository.update({ id: roles.owner }, { permissions: ALL_PERMISSIONS.filter((p) => p !== Permission.AuditExport) });
    expect(await decisions()).toEqual(expected);

    await run('up');
    expect(await stored()).toEqual(emptied);
    expect(await decisions()).toEqual(expected);
    expect((await t.app.get(RolesService).list(ownerAccess)).find((r) => r.id === custom.id)?.permissions).toEqual([
      Permission.AuditExport,
    ]);
    // From now on a built-in row cannot store a copy again.
    await expect(repository.update({ id: roles.owner }, { permissions: [Permission.AuditRead] })).rejects.toThrow(
      /CHK_roles_built_in_store_nothing/,
    );
    await repository.update({ id: custom.id }, { permissions: [Permission.AuditRead] });
    expect(await stored()).toEqual([['Exporter', [Permission.AuditRead]], ...emptied.slice(1)]);
  });

  // The resolved access object is what every service receives; it answers from the resolved set.
  it('WorkspaceAccess answers from the set it was resolved with', async () => {
    const { workspaceId, ownerId } = await workspace('Answers');
    const access: WorkspaceAccess = must(await new AccessService(t.app.get(MembershipRepository), later).forWorkspace(ownerId, workspaceId));
    expect(access.covers([REACT, Permission.WorkspaceDelete])).toBe(true);
    expect(() => access.require(REACT)).not.toThrow();
    const running: WorkspaceAccess = must(await t.app.get(AccessService).forWorkspace(ownerId, workspaceId));
    expect(running.covers([REACT])).toBe(false);
    expect(() => running.require(REACT)).toThrow(AppException);
  });
});
