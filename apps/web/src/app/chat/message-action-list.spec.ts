import { Permission } from '@parley/contracts';

import { stored } from './chat-test-fixtures';
import { canReadVersions, messageActionsFor, type MessageActionContext } from './message-action-list';
import type { ChatMessage } from './message-groups';

const ME = 'me';
const line = (changes: Partial<ChatMessage> = {}): ChatMessage => ({ ...stored(1, { senderId: 'ana' }), state: 'sent', ...changes });
const context = (changes: Partial<MessageActionContext> = {}): MessageActionContext => ({ me: ME, permissions: [], archived: false, inThread: false, ...changes });
const ids = (message: ChatMessage, changes: Partial<MessageActionContext> = {}) => messageActionsFor(message, context(changes)).map((a) => a.id);

describe('messageActionsFor (what the ⋯ menu and the long-press sheet offer)', () => {
  it('one’s own message: every action, delete last and marked as dangerous', () => {
    const actions = messageActionsFor(line({ senderId: ME }), context());
    expect(actions.map((a) => a.id)).toEqual(['reply', 'react', 'forward', 'copy-link', 'copy-text', 'pin', 'edit', 'delete']);
    expect(actions.at(-1)).toEqual({ id: 'delete', label: 'Delete message…', danger: true });
    expect(actions.filter((a) => a.danger).length).toBe(1);
  });

  it('someone else’s message: no edit, no delete (unless one holds message.delete.any)', () => {
    expect(ids(line())).toEqual(['reply', 'react', 'forward', 'copy-link', 'copy-text', 'pin']);
    expect(ids(line(), { permissions: [Permission.MessageDeleteAny] })).toContain('delete');
    expect(ids(line(), { permissions: [Permission.MessageDeleteAny] })).not.toContain('edit');
  });

  it('a pinned message offers Unpin instead of Pin', () => {
    const actions = messageActionsFor(line({ pinnedAt: '2026-01-01T00:00:00.000Z', pinnedBy: 'ana' }), context());
    expect(actions.map((a) => a.id)).toContain('unpin');
    expect(actions.map((a) => a.id)).not.toContain('pin');
    expect(actions.find((a) => a.id === 'unpin')?.label).toBe('Unpin from channel');
  });

  it('in the thread panel there is no "Reply in thread"', () => {
    expect(ids(line(), { inThread: true })).not.toContain('reply');
  });

  it('in an archived channel only the link and the text (and deleting one’s own) are left', () => {
    expect(ids(line(), { archived: true })).toEqual(['copy-link', 'copy-text']);
    expect(ids(line({ senderId: ME }), { archived: true })).toEqual(['copy-link', 'copy-text', 'delete']);
  });

  it('a send not stored yet, a failed one and a deleted message offer nothing', () => {
    expect(ids(line({ senderId: ME, state: 'pending' }))).toEqual([]);
    expect(ids(line({ senderId: ME, state: 'failed' }))).toEqual([]);
    expect(ids(line({ senderId: ME, deletedAt: '2026-01-01T00:00:00.000Z' }))).toEqual([]);
  });

  it('"View edit history" only on an edited message, for the sender and holders of audit.read or ediscovery.export', () => {
    const edited = line({ editedAt: '2026-01-01T00:00:00.000Z' });
    expect(ids(line({ senderId: ME }))).not.toContain('history');
    expect(ids({ ...edited, senderId: ME })).toContain('history');
    expect(ids(edited)).not.toContain('history');
    expect(ids(edited, { permissions: [Permission.AuditRead] })).toContain('history');
    expect(ids(edited, { permissions: [Permission.EdiscoveryExport] })).toContain('history');
    expect(ids(edited, { permissions: [Permission.MessageDeleteAny, Permission.ChannelCreatePublic] })).not.toContain('history');
    // Reading the history is not changing the message: an archived channel keeps it.
    expect(ids({ ...edited, senderId: ME }, { archived: true })).toContain('history');
  });
});

describe('canReadVersions', () => {
  it('needs an edited, not deleted message, and the sender or a governance permission', () => {
    const edited = { senderId: 'ana', editedAt: '2026-01-01T00:00:00.000Z', deletedAt: null };
    expect(canReadVersions(edited, 'ana', [])).toBe(true);
    expect(canReadVersions(edited, ME, [])).toBe(false);
    expect(canReadVersions(edited, null, [])).toBe(false);
    expect(canReadVersions(edited, ME, [Permission.AuditRead])).toBe(true);
    expect(canReadVersions({ ...edited, editedAt: null }, 'ana', [Permission.AuditRead])).toBe(false);
    expect(canReadVersions({ ...edited, deletedAt: '2026-01-02T00:00:00.000Z' }, 'ana', [])).toBe(false);
  });
});
