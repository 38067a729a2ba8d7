import type { ReactionDto } from '@parley/contracts';

/** The quick reactions offered in a message's toolbar, before the full picker. */
export const QUICK_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '🎉', '👀'];

/**
 * The reactions after the reader adds (true) or takes back one emoji, as the server will answer:
 * shown at once, then replaced by the answer and the change event (which carry the truth).
 */
export function toggledReactions(reactions: readonly ReactionDto[], emoji: string, me: string, add: boolean): ReactionDto[] {
  const existing = reactions.find((r) => r.emoji === emoji);
  if (add) {
    if (existing?.me) return [...reactions];
    if (!existing) return [...reactions, { emoji, count: 1, userIds: [me], me: true }];
    return reactions.map((r) => (r.emoji === emoji ? { ...r, count: r.count + 1, userIds: [...r.userIds, me], me: true } : r));
  }
  if (!existing?.me) return [...reactions];
  if (existing.count <= 1) return reactions.filter((r) => r.emoji !== emoji);
  return reactions.map((r) => (r.emoji === emoji ? { ...r, count: r.count - 1, userIds: r.userIds.filter((id) => id !== me), me: false } : r));
}

/**
 * Who reacted, for a chip's tooltip: "You, Ana and Bruno", "Ana, Bruno and 3 others". The server
 * names the first few (userIds); the rest are counted. The reader comes first as "You".
 */
export function reactorsLabel(reaction: ReactionDto, me: string | null, nameOf: (userId: string) => string): string {
  const others = reaction.userIds.filter((id) => id !== me);
  const names = [...(reaction.me ? ['You'] : []), ...others.map(nameOf)];
  const shown = names.slice(0, 2);
  const rest = Math.max(0, reaction.count - shown.length);
  if (rest === 0) return shown.length === 2 ? `${shown[0]} and ${shown[1]}` : (shown[0] ?? '');
  return `${shown.join(', ')} and ${rest} other${rest === 1 ? '' : 's'}`;
}
