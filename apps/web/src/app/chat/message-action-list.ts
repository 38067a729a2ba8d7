import { Permission } from '@parley/contracts';

import type { ChatMessage } from './message-groups';

/** Everything one can do to a message from its ⋯ menu or its long-press sheet. */
export type MessageActionId = 'reply' | 'react' | 'forward' | 'copy-link' | 'copy-text' | 'pin' | 'unpin' | 'edit' | 'history' | 'delete';

export interface MessageActionItem {
  id: MessageActionId;
  label: string;
  /** Destructive: shown apart, in red. */
  danger?: boolean;
}

/** Who is looking, and where the message is shown. */
export interface MessageActionContext {
  me: string | null;
  /** The person's permissions in the workspace (ChannelsStore.workspace().permissions). */
  permissions: readonly string[];
  /** The channel is archived: read-only, only linking, copying (and deleting) stay. */
  archived: boolean;
  /** Shown in the thread panel: a thread has no threads. */
  inThread: boolean;
}

/**
 * Who may read a message's earlier versions, as the server decides (access.rules.ts, ReadVersions):
 * the sender, and those holding audit.read or ediscovery.export. Everyone else sees "(edited)" as text.
 */
export function canReadVersions(message: Pick<ChatMessage, 'senderId' | 'editedAt' | 'deletedAt'>, me: string | null, permissions: readonly string[]): boolean {
  if (!message.editedAt || message.deletedAt) return false;
  return message.senderId === me || permissions.includes(Permission.AuditRead) || permissions.includes(Permission.EdiscoveryExport);
}

/**
 * The actions a message offers, in menu order. They follow what the server allows (it decides,
 * and a refusal is shown): a send not stored yet, or a deleted message, offers none; edit is the
 * sender's, not in an archived channel; delete the sender's or message.delete.any's.
 */
export function messageActionsFor(message: ChatMessage, context: MessageActionContext): MessageActionItem[] {
  if (message.state !== 'sent' || message.deletedAt) return [];
  const mine = message.senderId === context.me;
  const open = !context.archived;
  const items: MessageActionItem[] = [];
  if (open && !context.inThread) items.push({ id: 'reply', label: 'Reply in thread' });
  if (open) items.push({ id: 'react', label: 'Add reaction…' });
  if (open) items.push({ id: 'forward', label: 'Forward…' });
  items.push({ id: 'copy-link', label: 'Copy link' });
  // On a phone the text is not selectable (a long press is ours): it is copied from here.
  items.push({ id: 'copy-text', label: 'Copy text' });
  if (open) items.push(message.pinnedAt ? { id: 'unpin', label: 'Unpin from channel' } : { id: 'pin', label: 'Pin to channel' });
  if (open && mine) items.push({ id: 'edit', label: 'Edit message' });
  if (canReadVersions(message, context.me, context.permissions)) items.push({ id: 'history', label: 'View edit history' });
  if (mine || context.permissions.includes(Permission.MessageDeleteAny)) items.push({ id: 'delete', label: 'Delete message…', danger: true });
  return items;
}
