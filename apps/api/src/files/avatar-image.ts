import { AVATAR_SIZES, AvatarSize } from '@parley/contracts';
import sharp from 'sharp';

/** The formats a profile picture may be in (what sharp decodes without running anything: no SVG). */
const AVATAR_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff']);

/** Decoding stops past this many pixels (a decompression bomb is refused, not decoded). */
const MAX_PIXELS = 100_000_000;

/**
 * A profile picture in every AVATAR_SIZES: oriented by its EXIF, cropped to the centred square,
 * WebP, with no metadata (sharp keeps none unless asked). The first frame of an animation.
 * Null when the bytes are not an image of AVATAR_FORMATS.
 */
export async function avatarRenditions(path: string): Promise<Map<AvatarSize, Buffer> | null> {
  try {
    const { format } = await sharp(path, { limitInputPixels: MAX_PIXELS }).metadata();
    if (!format || !AVATAR_FORMATS.has(format)) return null;
    const renditions = new Map<AvatarSize, Buffer>();
    for (const size of AVATAR_SIZES) {
      const image = sharp(path, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate().resize(size, size, { fit: 'cover', position: 'centre' });
      renditions.set(size, await image.webp({ quality: 85 }).toBuffer());
    }
    return renditions;
  } catch {
    return null;
  }
}

/** The storage variant of each size (storage keys end in letters only). */
export const AVATAR_VARIANTS: Record<AvatarSize, string> = { 64: 'small', 128: 'medium', 256: 'large' };
