import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ChannelDto,
  ChannelReadsDto,
  ChannelMemberDto,
  CreateChannelRequest,
  CreatedInviteDto,
  CreateWorkspaceRequest,
  EditMessageRequest,
  FilePage,
  ForwardMessageRequest,
  InvitePreviewDto,
  MemberDto,
  MessageDto,
  MessagePage,
  MessageVersionDto,
  PresenceDto,
  ReplyPageQuery,
  ThreadDto,
  ThreadFollowState,
  UploadResult,
  UserSearchResultDto,
  WorkspaceDto,
} from '@parley/contracts';
import { firstValueFrom, type Observable } from 'rxjs';

/** The REST calls of the chat screens (live events go through SocketService). */
@Injectable({ providedIn: 'root' })
export class ChatApi {
  private readonly http = inject(HttpClient);

  workspaces(): Promise<WorkspaceDto[]> {
    return firstValueFrom(this.http.get<WorkspaceDto[]>('/api/workspaces'));
  }

  createWorkspace(body: CreateWorkspaceRequest): Promise<WorkspaceDto> {
    return firstValueFrom(this.http.post<WorkspaceDto>('/api/workspaces', body));
  }

  channels(workspaceId: string): Promise<ChannelDto[]> {
    return firstValueFrom(this.http.get<ChannelDto[]>(`/api/workspaces/${workspaceId}/channels`));
  }

  createChannel(workspaceId: string, body: CreateChannelRequest): Promise<ChannelDto> {
    return firstValueFrom(this.http.post<ChannelDto>(`/api/workspaces/${workspaceId}/channels`, body));
  }

  channel(channelId: string): Promise<ChannelDto> {
    return firstValueFrom(this.http.get<ChannelDto>(`/api/channels/${channelId}`));
  }

  joinChannel(channelId: string): Promise<ChannelDto> {
    return firstValueFrom(this.http.post<ChannelDto>(`/api/channels/${channelId}/join`, {}));
  }

  leaveChannel(channelId: string): Promise<void> {
    return firstValueFrom(this.http.post<void>(`/api/channels/${channelId}/leave`, {}));
  }

  /** Read receipts: how far the channel's other members have read (when receipts apply). */
  reads(channelId: string): Promise<ChannelReadsDto> {
    return firstValueFrom(this.http.get<ChannelReadsDto>(`/api/channels/${channelId}/reads`));
  }

  channelMembers(channelId: string): Promise<ChannelMemberDto[]> {
    return firstValueFrom(this.http.get<ChannelMemberDto[]>(`/api/channels/${channelId}/members`));
  }

  addMembers(channelId: string, userIds: string[]): Promise<ChannelDto> {
    return firstValueFrom(this.http.post<ChannelDto>(`/api/channels/${channelId}/members`, { userIds }));
  }

  openDm(workspaceId: string, userIds: string[]): Promise<ChannelDto> {
    return firstValueFrom(this.http.post<ChannelDto>(`/api/workspaces/${workspaceId}/dms`, { userIds }));
  }

  members(workspaceId: string): Promise<MemberDto[]> {
    return firstValueFrom(this.http.get<MemberDto[]>(`/api/workspaces/${workspaceId}/members`));
  }

  presence(workspaceId: string): Promise<PresenceDto[]> {
    return firstValueFrom(this.http.get<PresenceDto[]>(`/api/workspaces/${workspaceId}/presence`));
  }

  /** A page of history: the newest, `before`/`after` a seq, or `around` one (older and newer both). */
  history(channelId: string, query: { before?: number; after?: number; around?: number; limit?: number }): Promise<MessagePage> {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params[key] = String(value);
    return firstValueFrom(this.http.get<MessagePage>(`/api/channels/${channelId}/messages`, { params }));
  }

  /** A page of a thread's replies in ascending seq (`hasMore`: more after it). */
  replies(rootId: string, query: ReplyPageQuery): Promise<MessagePage> {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params[key] = String(value);
    return firstValueFrom(this.http.get<MessagePage>(`/api/messages/${rootId}/replies`, { params }));
  }

  follow(rootId: string, following: boolean): Promise<ThreadFollowState> {
    const url = `/api/messages/${rootId}/follow`;
    return firstValueFrom(following ? this.http.put<ThreadFollowState>(url, {}) : this.http.delete<ThreadFollowState>(url));
  }

  readThread(rootId: string, seq: number): Promise<ThreadFollowState> {
    return firstValueFrom(this.http.post<ThreadFollowState>(`/api/messages/${rootId}/replies/read`, { seq }));
  }

  /** The threads one follows in the workspace, newest activity first. */
  threads(workspaceId: string): Promise<ThreadDto[]> {
    return firstValueFrom(this.http.get<ThreadDto[]>(`/api/workspaces/${workspaceId}/threads`));
  }

  /** One message, for anyone who may read its channel (a thread's root opened from a link, say). */
  message(messageId: string): Promise<MessageDto> {
    return firstValueFrom(this.http.get<MessageDto>(`/api/messages/${messageId}`));
  }

  /** A message's earlier texts, oldest first (the sender, and holders of audit.read or ediscovery.export). */
  versions(messageId: string): Promise<MessageVersionDto[]> {
    return firstValueFrom(this.http.get<MessageVersionDto[]>(`/api/messages/${messageId}/versions`));
  }

  editMessage(messageId: string, body: EditMessageRequest): Promise<MessageDto> {
    return firstValueFrom(this.http.patch<MessageDto>(`/api/messages/${messageId}`, body));
  }

  deleteMessage(messageId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/messages/${messageId}`));
  }

  /** Adds (true) or takes back one's reaction; answers the message as it is after. */
  react(messageId: string, emoji: string, add: boolean): Promise<MessageDto> {
    const url = `/api/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
    return firstValueFrom(add ? this.http.put<MessageDto>(url, {}) : this.http.delete<MessageDto>(url));
  }

  /** Pins (true) or unpins a message; answers the message as it is after. */
  pin(messageId: string, pinned: boolean): Promise<MessageDto> {
    const url = `/api/messages/${messageId}/pin`;
    return firstValueFrom(pinned ? this.http.put<MessageDto>(url, {}) : this.http.delete<MessageDto>(url));
  }

  /** A channel's pinned messages, newest pin first. */
  pins(channelId: string): Promise<MessageDto[]> {
    return firstValueFrom(this.http.get<MessageDto[]>(`/api/channels/${channelId}/pins`));
  }

  /** Forwards a message into another channel: the new message there, quoting it. */
  forward(messageId: string, body: ForwardMessageRequest): Promise<MessageDto> {
    return firstValueFrom(this.http.post<MessageDto>(`/api/messages/${messageId}/forward`, body));
  }

  /**
   * Uploads one file into a channel (multipart field `file`), reporting upload progress; unsubscribing
   * aborts it. One request per file, so each has its own progress bar, cancel and retry.
   */
  upload(channelId: string, file: File): Observable<HttpEvent<UploadResult>> {
    const body = new FormData();
    body.append('file', file, file.name);
    return this.http.post<UploadResult>(`/api/channels/${channelId}/files`, body, { reportProgress: true, observe: 'events' });
  }

  /** A page of the channel's files, newest first (`before`: the previous page's nextBefore). */
  channelFiles(channelId: string, query: { before?: string; limit?: number } = {}): Promise<FilePage> {
    const params: Record<string, string> = {};
    if (query.before) params['before'] = query.before;
    if (query.limit) params['limit'] = String(query.limit);
    return firstValueFrom(this.http.get<FilePage>(`/api/channels/${channelId}/files`, { params }));
  }

  invite(workspaceId: string, email: string): Promise<CreatedInviteDto> {
    return firstValueFrom(this.http.post<CreatedInviteDto>(`/api/workspaces/${workspaceId}/invites`, { email }));
  }

  previewInvite(token: string): Promise<InvitePreviewDto> {
    return firstValueFrom(this.http.get<InvitePreviewDto>(`/api/invites/${encodeURIComponent(token)}`));
  }

  acceptInvite(token: string): Promise<WorkspaceDto> {
    return firstValueFrom(this.http.post<WorkspaceDto>(`/api/invites/${encodeURIComponent(token)}/accept`, {}));
  }

  searchUsers(q: string): Promise<UserSearchResultDto[]> {
    return firstValueFrom(this.http.get<UserSearchResultDto[]>('/api/users/search', { params: { q } }));
  }
}
