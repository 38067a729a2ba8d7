import { HttpClient } from '@angular/common/http';
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
}
