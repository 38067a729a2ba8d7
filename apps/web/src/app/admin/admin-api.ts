import { HttpClient, HttpParams, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuditEventPage,
  AuditVerifyResult,
  CreatedInviteDto,
  CreateInviteRequest,
  CreateRoleRequest,
  InviteDto,
  MemberDto,
  PermissionDto,
  RoleDto,
  UpdateRoleRequest,
  UpdateWorkspaceRequest,
  WorkspaceDto,
} from '@parley/contracts';
import type { Observable } from 'rxjs';

import { AuditQuery, toAuditParams } from './audit/audit-query';

export type AuditExportFormat = 'csv' | 'jsonl';

function seg(value: string): string {
  return encodeURIComponent(value);
}

/** The REST calls the admin console makes, one method per call. */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  workspace(id: string): Observable<WorkspaceDto> {
    return this.http.get<WorkspaceDto>(`/api/workspaces/${seg(id)}`);
  }

  updateWorkspace(id: string, body: UpdateWorkspaceRequest): Observable<WorkspaceDto> {
    return this.http.patch<WorkspaceDto>(`/api/workspaces/${seg(id)}`, body);
  }

  members(workspaceId: string): Observable<MemberDto[]> {
    return this.http.get<MemberDto[]>(`/api/workspaces/${seg(workspaceId)}/members`);
  }

  changeRole(workspaceId: string, userId: string, roleId: string): Observable<MemberDto> {
    return this.http.patch<MemberDto>(`/api/workspaces/${seg(workspaceId)}/members/${seg(userId)}`, { roleId });
  }

  setActive(workspaceId: string, userId: string, active: boolean): Observable<MemberDto> {
    const action = active ? 'reactivate' : 'deactivate';
    return this.http.post<MemberDto>(`/api/workspaces/${seg(workspaceId)}/members/${seg(userId)}/${action}`, {});
  }

  removeMember(workspaceId: string, userId: string): Observable<unknown> {
    return this.http.delete(`/api/workspaces/${seg(workspaceId)}/members/${seg(userId)}`);
  }

  permissions(): Observable<PermissionDto[]> {
    return this.http.get<PermissionDto[]>('/api/permissions');
  }

  roles(workspaceId: string): Observable<RoleDto[]> {
    return this.http.get<RoleDto[]>(`/api/workspaces/${seg(workspaceId)}/roles`);
  }

  createRole(workspaceId: string, body: CreateRoleRequest): Observable<RoleDto> {
    return this.http.post<RoleDto>(`/api/workspaces/${seg(workspaceId)}/roles`, body);
  }

  updateRole(workspaceId: string, roleId: string, body: UpdateRoleRequest): Observable<RoleDto> {
    return this.http.patch<RoleDto>(`/api/workspaces/${seg(workspaceId)}/roles/${seg(roleId)}`, body);
  }

  deleteRole(workspaceId: string, roleId: string): Observable<unknown> {
    return this.http.delete(`/api/workspaces/${seg(workspaceId)}/roles/${seg(roleId)}`);
  }

  invites(workspaceId: string): Observable<InviteDto[]> {
    return this.http.get<InviteDto[]>(`/api/workspaces/${seg(workspaceId)}/invites`);
  }

  createInvite(workspaceId: string, body: CreateInviteRequest): Observable<CreatedInviteDto> {
    return this.http.post<CreatedInviteDto>(`/api/workspaces/${seg(workspaceId)}/invites`, body);
  }

  revokeInvite(workspaceId: string, inviteId: string): Observable<unknown> {
    return this.http.delete(`/api/workspaces/${seg(workspaceId)}/invites/${seg(inviteId)}`);
  }

  auditEvents(workspaceId: string, query: AuditQuery, cursor?: string | null, limit?: number): Observable<AuditEventPage> {
    let params = toAuditParams(query);
    if (cursor) params = params.set('cursor', cursor);
    if (limit) params = params.set('limit', limit);
    return this.http.get<AuditEventPage>(`/api/workspaces/${seg(workspaceId)}/audit-events`, { params });
  }

  verifyAudit(workspaceId: string): Observable<AuditVerifyResult> {
    return this.http.get<AuditVerifyResult>(`/api/workspaces/${seg(workspaceId)}/audit-events/verify`);
  }

  /** The export as a file (it needs the bearer token, so it cannot be a plain link). */
  exportAudit(workspaceId: string, query: AuditQuery, format: AuditExportFormat): Observable<HttpResponse<Blob>> {
    const params: HttpParams = toAuditParams(query).set('format', format);
    return this.http.get(`/api/workspaces/${seg(workspaceId)}/audit-events/export`, {
      params,
      responseType: 'blob',
      observe: 'response',
    });
  }
}
