export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  statusText: string | null;
  createdAt: string;
}

export interface UpdateMeRequest {
  displayName?: string;
  avatarUrl?: string | null;
  statusText?: string | null;
}

export const DISPLAY_NAME_MAX_LENGTH = 80;
export const STATUS_TEXT_MAX_LENGTH = 140;
