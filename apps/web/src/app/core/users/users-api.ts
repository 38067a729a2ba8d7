import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UserDto } from '@parley/contracts';
import type { Observable } from 'rxjs';

/** The `/api/users` endpoints. */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  me(): Observable<UserDto> {
    return this.http.get<UserDto>('/api/users/me');
  }
}
