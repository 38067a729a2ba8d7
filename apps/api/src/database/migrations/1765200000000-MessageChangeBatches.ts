import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * parley_apply_message_changes (issue #13, bench 7): a batch of edits and reactions applied by one
 * statement, one change after the other in the batch's order, each as its own statement did
 * before (EDIT, ADD_REACTION/REMOVE_REACTION and SUMMARISE_REACTIONS, RECORD_CHANGE of
 * MessageRepository). A batch costs one round trip instead of five or six per change.
 *
 * Input: a jsonb array of {ord, kind: 'edit'|'react'|'unreact', message_id, channel_id, actor_id,
 * text, mentions, notify, emoji}, and the audit module's outbox rows {ord, workspace_id, event}
 * that the changes owe (written only for a change applied, so the change and its event commit
 * together, in the one statement). Every channel of the batch is locked first, in id order (as a
 * batch of sends locks them, so neither waits on the other crosswise), then each change:
 * 'archived' or 'gone' when its channel was archived or its message deleted since the access
 * check, 'unchanged' when there was nothing to change (the same text, a reaction made or taken
 * back already), 'full' for an emoji beyond `max_emoji` on the message, else 'applied' with the
 * channel's next change_seq (the change row written, the message's reaction summary rewritten
 * with the first `users_shown` people of each emoji). Times are the clock's (one per change: a
 * version's replaced_at is the edit's edited_at), under the lock, so two changes of one message in
 * a batch keep their order.
 */
export class MessageChangeBatches1765200000000 implements MigrationInterface {
  name = 'MessageChangeBatches1765200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION parley_apply_message_changes(changes jsonb, max_emoji int, users_shown int, audit jsonb)
      RETURNS TABLE (change_ord int, change_outcome text, new_change_seq bigint)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        c record;
        target record;
        archived boolean;
        emojis int;
        used boolean;
        touched int;
        change_kind text;
        change_detail jsonb;
        taken bigint;
        notified uuid[];
        stamp timestamptz;
      BEGIN
        PERFORM 1 FROM channels ch
          WHERE ch.id IN (SELECT (e->>'channel_id')::uuid FROM jsonb_array_elements(changes) e)
          ORDER BY ch.id FOR UPDATE;
        FOR c IN SELECT * FROM jsonb_to_recordset(changes)
                   AS x(ord int, kind text, message_id uuid, channel_id uuid, actor_id uuid, text text, mentions jsonb, notify jsonb, emoji text)
                  ORDER BY x.ord LOOP
          change_ord := c.ord;
          new_change_seq := NULL;
          SELECT ch.archived_at IS NOT NULL INTO archived FROM channels ch WHERE ch.id = c.channel_id;
          IF NOT FOUND THEN change_outcome := 'gone'; RETURN NEXT; CONTINUE; END IF;
          IF archived THEN change_outcome := 'archived'; RETURN NEXT; CONTINUE; END IF;
          SELECT m.id, m.text, m.sender_id, m.seq, m.created_at, m.edited_at INTO target
            FROM messages m WHERE m.id = c.message_id AND m.channel_id = c.channel_id AND m.deleted_at IS NULL;
          IF NOT FOUND THEN change_outcome := 'gone'; RETURN NEXT; CONTINUE; END IF;

          IF c.kind = 'edit' THEN
            IF target.text = c.text THEN change_outcome := 'unchanged'; RETURN NEXT; CONTINUE; END IF;
            stamp := clock_timestamp();
            INSERT INTO message_versions (message_id, text, written_at, replaced_at)
              VALUES (target.id, target.text, COALESCE(target.edited_at, target.created_at), stamp);
            UPDATE messages SET text = c.text, edited_at = stamp, mentions = c.mentions WHERE id = target.id;
            -- Whom it notifies now: the members of the channel among those named, never its sender.
            notified := ARRAY(SELECT cm.user_id FROM jsonb_array_elements_text(c.notify) n(id)
                                JOIN channel_members cm ON cm.channel_id = c.channel_id AND cm.user_id = n.id::uuid
                               WHERE cm.user_id <> target.sender_id);
            DELETE FROM message_mentions mm WHERE mm.message_id = target.id AND mm.user_id <> ALL (notified);
            INSERT INTO message_mentions (user_id, channel_id, seq, message_id)
              SELECT u, c.channel_id, target.seq, target.id FROM unnest(notified) u
              ON CONFLICT DO NOTHING;
            change_kind := 'edited';
            change_detail := NULL;
          ELSE
            IF c.kind = 'react' THEN
              SELECT count(DISTINCT r.emoji)::int, COALESCE(bool_or(r.emoji = c.emoji), false) INTO emojis, used
                FROM message_reactions r WHERE r.message_id = target.id;
              IF NOT used AND emojis >= max_emoji THEN change_outcome := 'full'; RETURN NEXT; CONTINUE; END IF;
              INSERT INTO message_reactions (message_id, emoji, user_id, created_at)
                VALUES (target.id, c.emoji, c.actor_id, clock_timestamp())
                ON CONFLICT DO NOTHING;
            ELSE
              DELETE FROM message_reactions r WHERE r.message_id = target.id AND r.emoji = c.emoji AND r.user_id = c.actor_id;
            END IF;
            GET DIAGNOSTICS touched = ROW_COUNT;
            IF touched = 0 THEN change_outcome := 'unchanged'; RETURN NEXT; CONTINUE; END IF;
            -- The summary a read path shows: each emoji in the order it was first used, its count, its first people.
            UPDATE messages SET reactions = COALESCE((
              SELECT jsonb_agg(jsonb_build_object('emoji', g.emoji, 'count', g.count, 'userIds', g.user_ids) ORDER BY g.first_at, g.emoji)
                FROM (SELECT r.emoji, count(*)::int AS count, min(r.created_at) AS first_at,
                             to_jsonb((array_agg(r.user_id ORDER BY r.created_at, r.user_id))[1:users_shown]) AS user_ids
                        FROM message_reactions r WHERE r.message_id = target.id GROUP BY r.emoji) g), '[]'::jsonb)
             WHERE id = target.id;
            change_kind := 'reacted';
            change_detail := jsonb_build_object('emoji', c.emoji, 'added', c.kind = 'react');
          END IF;

          UPDATE channels SET last_change_seq = last_change_seq + 1 WHERE id = c.channel_id RETURNING last_change_seq INTO taken;
          INSERT INTO message_changes (channel_id, change_seq, message_id, kind, actor_id, detail)
            VALUES (c.channel_id, taken, target.id, change_kind, c.actor_id, change_detail);
          -- The audit events the applied change owes, in the outbox with it (see AuditService.outboxEntry).
          INSERT INTO audit_outbox (workspace_id, event)
            SELECT (a->>'workspace_id')::uuid, a->'event' FROM jsonb_array_elements(audit) a WHERE (a->>'ord')::int = c.ord;
          change_outcome := 'applied';
          new_change_seq := taken;
          RETURN NEXT;
        END LOOP;
      END
      $fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION parley_apply_message_changes(jsonb, int, int, jsonb)`);
  }
}
