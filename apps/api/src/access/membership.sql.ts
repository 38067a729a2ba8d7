/**
 * SQL fragments for "an active member": written once, used by the repositories that join
 * workspace membership. `alias` is the workspace_members alias in the statement.
 */
export const activeMember = (alias: string): string => `${alias}.deactivated_at IS NULL`;

/**
 * PEOPLE_SEEN (access.rules.ts) in SQL: a member whose role is aliased `role` sees every member of
 * the workspace (and their presence); a guest only the people who share a channel with them.
 */
export const seesAllPeople = (role: string): string => `${role}.built_in IS DISTINCT FROM 'guest'`;

/*
 * The Post and Read rules of access.rules.ts in SQL, for the statements that must check them
 * atomically with what they do (a send takes its seq in the statement that checks it; sync reads
 * only what the caller may see). Everywhere else the rules are checked by
 * AccessService.requireChannel. Each takes the SQL expressions (placeholders or columns) it is
 * about, so a statement states its parameters once and nothing is edited into the text.
 */

/** May post: `user` is an active member of channel `channel` (of workspace `workspace`), in a workspace that still exists. (Not archived is the statement's own check.) */
export const mayPost = ({ channel, workspace, user }: { channel: string; workspace: string; user: string }): string =>
  `EXISTS (SELECT 1 FROM channel_members cm
                     JOIN workspace_members wm ON wm.workspace_id = ${workspace} AND wm.user_id = cm.user_id AND ${activeMember('wm')}
                     JOIN workspaces w ON w.id = ${workspace} AND w.deleted_at IS NULL
                    WHERE cm.channel_id = ${channel} AND cm.user_id = ${user})`;

/**
 * May read the channels row aliased `channel` (MAY_SEE): its members, and for a public one anyone in the workspace
 * whose role may browse channels. Which roles may is resolved from the catalogue in code and
 * arrives as parameters, so no permission is named in SQL: `browsers` is the text[] of built-in
 * roles that hold it, `browse` the permission a custom role must store.
 */
export const mayRead = ({ channel, user, browsers, browse }: { channel: string; user: string; browsers: string; browse: string }): string => `
  EXISTS (SELECT 1 FROM workspace_members wm
            JOIN roles r ON r.id = wm.role_id
            JOIN workspaces w ON w.id = wm.workspace_id AND w.deleted_at IS NULL
           WHERE wm.workspace_id = ${channel}.workspace_id AND wm.user_id = ${user} AND ${activeMember('wm')}
             AND (EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = ${channel}.id AND cm.user_id = ${user})
                  OR (${channel}.type = 'public' AND (r.built_in = ANY (${browsers}::text[])
                                             OR (r.built_in IS NULL AND ${browse}::text = ANY (r.permissions))))))`;
