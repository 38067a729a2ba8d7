import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { SessionDto } from '@parley/contracts';

import { expectRequest } from '@web/admin/admin-test-fixtures';
import { Sessions } from './sessions';

function session(id: string, changes: Partial<SessionDto> = {}): SessionDto {
  return { id, userAgent: null, ip: '10.0.0.1', createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: '2026-01-02T00:00:00.000Z', current: false, ...changes };
}

describe('Sessions', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<Sessions>;
  let el: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Sessions);
    el = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const buttons = () => [...el.querySelectorAll<HTMLButtonElement>('ul[aria-label="Your sessions"] button')].map((b) => b.getAttribute('aria-label'));

  it('shows a skeleton while loading, then this device first and the others most recently used first', async () => {
    await fixture.whenStable();
    expect(el.querySelector('[aria-label="Loading sessions"]')).not.toBeNull();
    (await expectRequest(http, 'GET', '/api/auth/sessions')).flush([
      session('old', { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', lastUsedAt: '2026-01-03T00:00:00.000Z' }),
      session('here', { current: true }),
      session('new', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', lastUsedAt: '2026-01-05T00:00:00.000Z' }),
    ]);
    await fixture.whenStable();
    expect(el.querySelector('[aria-label="Loading sessions"]')).toBeNull();
    expect(buttons()[0]).toBe('Sign out of this device');
    expect(buttons().length).toBe(3);
    const [, second, third] = buttons();
    expect(second).toContain('Firefox');
    expect(third).toContain('Chrome');
  });

  it('a failed load says so; "Try again" loads again', async () => {
    (await expectRequest(http, 'GET', '/api/auth/sessions')).flush({ statusCode: 500, message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Could not load your sessions.');
    el.querySelector<HTMLButtonElement>('app-load-error button')!.click();
    (await expectRequest(http, 'GET', '/api/auth/sessions')).flush([session('here', { current: true })]);
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(buttons()).toEqual(['Sign out of this device']);
  });
});
