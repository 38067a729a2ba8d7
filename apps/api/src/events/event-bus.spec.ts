import { INestApplicationContext, Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { MessageDto } from '@parley/contracts';
import { WorkspaceMemberEvent } from './app-events';
import { EventBus, OnAppEvent } from './event-bus';
import { EventsModule } from './events.module';

/** Listeners that finish only when the test lets them, so it can see what `emit` waited for. */
@Injectable()
class Recorder {
  readonly seen: string[] = [];
  release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  @OnAppEvent('workspace.member.joined')
  async onJoined({ userId }: WorkspaceMemberEvent): Promise<void> {
    this.seen.push(`joining ${userId}`);
    await this.gate;
    this.seen.push(`joined ${userId}`);
  }

  @OnAppEvent('message.created')
  async onMessage(message: MessageDto): Promise<void> {
    this.seen.push(`delivering ${message.seq}`);
    await this.gate;
    this.seen.push(`delivered ${message.seq}`);
  }

  @OnAppEvent('workspace.created')
  @OnAppEvent('workspace.deleted')
  onWorkspace({ workspaceId }: WorkspaceMemberEvent): void {
    this.seen.push(`workspace ${workspaceId}`);
  }

  @OnAppEvent('channel.updated', { suppressErrors: false })
  onChannelUpdated(): void {
    throw new Error('the listener refused');
  }

  @OnAppEvent('channel.created')
  onChannelCreated(): void {
    throw new Error('this one is only logged');
  }
}

const message = { id: 'm1', channelId: 'c1', seq: 7 } as MessageDto;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('EventBus', () => {
  let app: INestApplicationContext;
  let bus: EventBus;
  let recorder: Recorder;

  beforeEach(async () => {
    const module = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot(), EventsModule],
      providers: [Recorder],
    }).compile();
    app = await module.init();
    bus = app.get(EventBus);
    recorder = app.get(Recorder);
  });

  afterEach(() => app.close());

  it('waits for the listeners of an awaited event (membership: rooms move before the answer)', async () => {
    let settled = false;
    const emitted = bus.emit('workspace.member.joined', { workspaceId: 'w1', userId: 'u1' }).then(() => (settled = true));
    await nextTurn();
    expect(recorder.seen).toEqual(['joining u1']);
    expect(settled).toBe(false);
    recorder.release();
    await emitted;
    expect(recorder.seen).toEqual(['joining u1', 'joined u1']);
  });

  it('calls the listeners of a background event at once and does not wait for them (message fan-out)', async () => {
    const emitted = bus.emit('message.created', message);
    expect(recorder.seen).toEqual(['delivering 7']);
    await emitted;
    await nextTurn();
    expect(recorder.seen).toEqual(['delivering 7']);
    recorder.release();
    await nextTurn();
    expect(recorder.seen).toEqual(['delivering 7', 'delivered 7']);
  });

  it('delivers each of the events stacked on one listener', async () => {
    await bus.emit('workspace.created', { workspaceId: 'w1', userId: 'u1' });
    await bus.emit('workspace.deleted', { workspaceId: 'w2', userId: 'u1' });
    expect(recorder.seen).toEqual(['workspace w1', 'workspace w2']);
  });

  it('fails the emit when a listener that does not suppress its errors fails, and only then', async () => {
    await expect(bus.emit('channel.updated', { workspaceId: 'w1', channelId: 'c1' })).rejects.toThrow('the listener refused');
    await expect(bus.emit('channel.created', { workspaceId: 'w1', channelId: 'c1' })).resolves.toBeUndefined();
  });
});

/*
 * Never called: `tsc -p apps/api/tsconfig.json` (npm run typecheck) checks this file, and each
 * `@ts-expect-error` fails the type-check if the line under it compiles.
 */
function _mistakesThatDoNotCompile(bus: EventBus) {
  // Right, for contrast.
  void bus.emit('message.created', message);
  // @ts-expect-error: a typo in the event name
  void bus.emit('message.craeted', message);
  // @ts-expect-error: the constants' style of name is gone
  void bus.emit('MESSAGE_CREATED', message);
  // @ts-expect-error: the payload of another event
  void bus.emit('workspace.member.joined', { workspaceId: 'w1', channelId: 'c1', userIds: [] });
  // @ts-expect-error: a payload missing a field
  void bus.emit('channel.members.added', { workspaceId: 'w1', channelId: 'c1' });
  // @ts-expect-error: no payload
  void bus.emit('session.revoked');

  class WrongListeners {
    @OnAppEvent('channel.members.added')
    onAdded(_event: { channelId: string; userIds: string[] }): void {}

    // @ts-expect-error: the handler takes another event's payload
    @OnAppEvent('channel.members.added')
    onAddedAsIfJoined(_event: WorkspaceMemberEvent): void {}

    // @ts-expect-error: a typo in the name listened to
    @OnAppEvent('workspace.member.join')
    onJoined(_event: WorkspaceMemberEvent): void {}
  }
  return WrongListeners;
}
