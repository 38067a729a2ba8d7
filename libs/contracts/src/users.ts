export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  /**
   * The profile picture: `/api/files/avatars/:userId/:avatarId` once uploaded (PUT
   * /api/users/me/avatar; add `?size=` one of AVATAR_SIZES; fetched like a file's content, with
   * the bearer token or the files cookie), or an http(s) URL set with PATCH; null for initials.
   */
  avatarUrl: string | null;
  statusText: string | null;
  createdAt: string;
  /**
   * Whether others see how far you have read (read receipts; default true). Turned off, you see
   * nobody's either, as in most products.
   */
  readReceipts: boolean;
}

export interface UpdateMeRequest {
  displayName?: string;
  /** Only null (no picture): a picture is uploaded with PUT /api/users/me/avatar. */
  avatarUrl?: null;
  statusText?: string | null;
  readReceipts?: boolean;
}

export const DISPLAY_NAME_MAX_LENGTH = 80;
export const STATUS_TEXT_MAX_LENGTH = 140;

/** Uploaded profile pictures are square WebP images in these sizes (pixels). */
export const AVATAR_SIZES = [64, 128, 256] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];
/** A larger picture is refused with 413 FILE_TOO_LARGE. */
export const AVATAR_MAX_BYTES = 10 * 1024 * 1024;
