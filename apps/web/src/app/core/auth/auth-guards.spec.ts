import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { safeReturnUrl, signedInGuard, signedOutGuard } from './auth-guards';
import { AuthStore } from './auth-store';

@Component({ template: '' })
class Blank {}

describe('auth guards', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'sign-in', canMatch: [signedOutGuard], component: Blank },
          {
            path: '',
            canMatch: [signedInGuard],
            children: [
              { path: 'sessions', component: Blank },
              { path: '', component: Blank },
            ],
          },
        ]),
      ],
    });
  });
  afterEach(() => localStorage.clear());

  it('sends signed-out people to /sign-in, remembering where they were going', async () => {
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/sessions');
    expect(router.url).toBe('/sign-in?returnUrl=%2Fsessions');
  });

  it('sends signed-in people away from /sign-in', async () => {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      expiresIn: 900,
      user: { id: 'u', email: 'a@b.c', displayName: 'A', avatarUrl: null, statusText: null, createdAt: '', readReceipts: true },
    });
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/sign-in');
    expect(router.url).toBe('/');
  });

  it('only follows same-app return URLs', () => {
    expect(safeReturnUrl('/sessions')).toBe('/sessions');
    expect(safeReturnUrl('//evil.example')).toBe('/');
    expect(safeReturnUrl('https://evil.example')).toBe('/');
    expect(safeReturnUrl(undefined)).toBe('/');
  });
});
