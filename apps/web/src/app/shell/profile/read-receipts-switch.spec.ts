import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { UserDto } from '@parley/contracts';

import { AuthStore } from '@web/core/auth/auth-store';
import { ReadReceiptsSwitch } from './read-receipts-switch';

const ME: UserDto = { id: 'u1', email: 'ana@example.com', displayName: 'Ana', avatarUrl: null, statusText: null, createdAt: '2026-01-01T00:00:00.000Z', readReceipts: true };

describe('ReadReceiptsSwitch', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<ReadReceiptsSwitch>;
  const user = signal<UserDto>(ME);
  const toggle = () => (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('[data-testid="read-receipts-switch"]')!;

  beforeEach(async () => {
    user.set(ME);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: AuthStore, useValue: { user, setUser: (u: UserDto) => user.set(u) } }],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ReadReceiptsSwitch);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('turns receipts off through PATCH /api/users/me and keeps the answer as the signed-in user', async () => {
    expect(toggle().checked).toBe(true);
    toggle().click();
    const req = http.expectOne({ method: 'PATCH', url: '/api/users/me' });
    expect(req.request.body).toEqual({ readReceipts: false });
    req.flush({ ...ME, readReceipts: false });
    await fixture.whenStable();
    expect(user().readReceipts).toBe(false);
    expect(toggle().checked).toBe(false);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Read receipts are off.');
  });

  it('a failed save puts the switch back', async () => {
    toggle().click();
    http.expectOne({ method: 'PATCH', url: '/api/users/me' }).flush({ statusCode: 500, message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();
    expect(toggle().checked).toBe(true);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain('Could not save.');
  });
});
