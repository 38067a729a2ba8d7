import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { SentMessage } from '@parley/contracts';

import { ChatApi } from './chat-api';
import { stored } from './chat-test-fixtures';
import { composerKey, MentionNotices } from './mention-notices';

function sent(changes: Partial<SentMessage> = {}): SentMessage {
  return { ...stored(1), mentionedNonMembers: [], broadcastRefused: null, ...changes };
}

describe('MentionNotices (what the sender is told after a send)', () => {
  let api: { addMembers: ReturnType<typeof vi.fn> };
  let notices: MentionNotices;

  beforeEach(() => {
    api = { addMembers: vi.fn() };
    TestBed.configureTestingModule({ providers: [{ provide: ChatApi, useValue: api }] });
    notices = TestBed.inject(MentionNotices);
  });

  it('says nothing for a send without news, and keeps a notice per composer (a thread apart from its channel)', () => {
    notices.noteSent(sent());
    expect(notices.notices()).toEqual({});
    notices.noteSent(sent({ mentionedNonMembers: ['bea'] }));
    notices.noteSent(sent({ threadRootId: 'root', broadcastRefused: 'here' }));
    expect(notices.notices()[composerKey('c', null)]).toMatchObject({ nonMembers: ['bea'], broadcastRefused: null });
    expect(notices.notices()[composerKey('c', 'root')]).toMatchObject({ nonMembers: [], broadcastRefused: 'here' });
    notices.dismiss('c');
    expect(Object.keys(notices.notices())).toEqual(['thread:root']);
  });

  it('Add puts the people in the channel and the notice goes; a refusal says one may not add people here', async () => {
    notices.noteSent(sent({ mentionedNonMembers: ['bea', 'caio'] }));
    api.addMembers.mockRejectedValueOnce(new HttpErrorResponse({ status: 403, error: { code: 'FORBIDDEN', message: 'no' } }));
    await notices.addMembers('c');
    expect(api.addMembers).toHaveBeenCalledWith('c', ['bea', 'caio']);
    expect(notices.notices()['c']).toMatchObject({ busy: false, error: 'You may not add people to this channel.' });
    api.addMembers.mockResolvedValueOnce({});
    await notices.addMembers('c');
    expect(notices.notices()['c']).toBeUndefined();
  });
});
