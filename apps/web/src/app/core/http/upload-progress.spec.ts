import { HttpClient, HttpXhrBackend, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { of } from 'rxjs';

import { uploadProgressInterceptor } from './upload-progress';

describe('uploadProgressInterceptor', () => {
  it('sends a request that reports progress through XMLHttpRequest, and leaves every other request alone', () => {
    const xhr: string[] = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([uploadProgressInterceptor])),
        provideHttpClientTesting(),
        { provide: HttpXhrBackend, useValue: { handle: (req: { url: string }) => (xhr.push(req.url), of()) } },
      ],
    });
    const http = TestBed.inject(HttpClient);
    http.post('/api/channels/c/files', new FormData(), { reportProgress: true, observe: 'events' }).subscribe();
    expect(xhr).toEqual(['/api/channels/c/files']);

    const testing = TestBed.inject(HttpTestingController);
    http.post('/api/messages', { text: 'hi' }).subscribe();
    http.get('/api/files/f/content', { reportProgress: true, observe: 'events' }).subscribe();
    testing.expectOne('/api/messages').flush({});
    testing.expectOne('/api/files/f/content').flush({});
    expect(xhr).toEqual(['/api/channels/c/files']);
    testing.verify();
  });
});
