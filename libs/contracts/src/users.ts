export interface UserDto {
  id: string;
  email: string;
  displayName: string;
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
  avatarUrl?: string | null;
  statusText?: string | null;
  readReceipts?: boolean;
}

export const DISPLAY_NAME_MAX_LENGTH = 80;
export const STATUS_TEXT_MAX_LENGTH = 140;
