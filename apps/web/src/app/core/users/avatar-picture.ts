import { AVATAR_SIZES, type AvatarSize } from '@parley/contracts';

/** Where uploaded profile pictures are served: such an address takes `?size=`. */
const UPLOADED = '/api/files/avatars/';

/** The smallest stored size that is sharp at `px` CSS pixels on this screen (the largest if none is enough). */
export function avatarSize(px: number, pixelRatio = 1): AvatarSize {
  const needed = px * (pixelRatio > 0 ? pixelRatio : 1);
  return AVATAR_SIZES.find((size) => size >= needed) ?? AVATAR_SIZES[AVATAR_SIZES.length - 1];
}

/**
 * The `<img src>` for a person's avatarUrl shown at `px` CSS pixels: an uploaded picture in the
 * size that fits; null (the initials) for none or anything else — a picture from another site
 * (an older account may still name one) would tell that site who looked, and the page's CSP
 * refuses it anyway.
 */
export function avatarSrc(avatarUrl: string | null | undefined, px: number, pixelRatio = 1): string | null {
  if (!avatarUrl?.startsWith(UPLOADED)) return null;
  return `${avatarUrl}${avatarUrl.includes('?') ? '&' : '?'}size=${avatarSize(px, pixelRatio)}`;
}

/** The initials' background: a hue of its own for each person (by id, else by name). */
export function avatarColour(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `oklch(0.46 0.13 ${Math.abs(hash) % 360})`;
}

/** The screen's device pixel ratio (1 where there is none, as on the server). */
export function pixelRatio(view: Window | null | undefined): number {
  const ratio = view?.devicePixelRatio;
  return typeof ratio === 'number' && ratio > 0 ? ratio : 1;
}
