import { socketClient } from './socket-client';

const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress } }) as never;

describe('socketClient', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(socketClient(request('203.0.113.9', { 'x-forwarded-for': '10.9.9.9', 'user-agent': 'UA' }), () => false)).toEqual({
      ip: '203.0.113.9',
      userAgent: 'UA',
    });
  });

  it('behind one trusted hop, is the nearest forwarded address; a client cannot push a fake one past it', () => {
    const oneHop = (_address: string, hop: number) => hop < 1;
    expect(socketClient(request('10.0.0.2', { 'x-forwarded-for': '1.2.3.4, 198.51.100.7' }), oneHop).ip).toBe('198.51.100.7');
    expect(socketClient(request('10.0.0.2'), oneHop).ip).toBe('10.0.0.2');
  });

  it('trusting every proxy, is the leftmost address', () => {
    expect(socketClient(request('10.0.0.2', { 'x-forwarded-for': '1.2.3.4, 10.0.0.1' }), () => true).ip).toBe('1.2.3.4');
  });

  it('cuts a long user agent as requests do (512)', () => {
    expect(socketClient(request('::1', { 'user-agent': 'x'.repeat(600) }), () => false).userAgent).toHaveLength(512);
  });
});
