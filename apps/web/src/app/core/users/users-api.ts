import { HttpClient, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UpdateMeRequest, UserDto } from '@parley/contracts';
import type { Observable } from 'rxjs';

/** The `/api/users` endpoints. */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  me(): Observable<UserDto> {
    return this.http.get<UserDto>('/api/users/me');
  }

  updateMe(body: UpdateMeRequest): Observable<UserDto> {
    return this.http.patch<UserDto>('/api/users/me', body);
  }

  /**
   * Uploads one's profile picture (multipart field `file`), reporting upload progress (the
   * progress interceptor sends it through XMLHttpRequest); the last event is the updated user.
   * Unsubscribing aborts it.
   */
  uploadAvatar(file: File): Observable<HttpEvent<UserDto>> {
    const body = new FormData();
    body.append('file', file, file.name);
    return this.http.put<UserDto>('/api/users/me/avatar', body, { reportProgress: true, observe: 'events' });
  }

  /** Removes one's profile picture: initials are shown again. */
  removeAvatar(): Observable<UserDto> {
    return this.http.delete<UserDto>('/api/users/me/avatar');
  }
}
