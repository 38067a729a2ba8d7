import { Injectable, Logger } from '@nestjs/common';
import { TYPING_TIMEOUT_SECONDS } from '@parley/contracts';
import { EventBus } from '../events/event-bus';
import { PresenceService } from './presence.service';

/** Who is typing where; typing ends by itself TYPING_TIMEOUT_SECONDS after the last typingStart. */
@Injectable()
export class TypingService {
  private readonly logger = new Logger('Typing');
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly presence: PresenceService,
    private readonly events: EventBus,
  ) {}

  async start(userId: string, channelId: string): Promise<void> {
    const key = `${channelId}:${userId}`;
    const wasTyping = this.timers.has(key);
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => void this.stop(userId, channelId), TYPING_TIMEOUT_SECONDS * 1000);
    timer.unref();
    this.timers.set(key, timer);
    await this.presence.typingStore.setTyping(channelId, userId, TYPING_TIMEOUT_SECONDS * 1000);
    if (!wasTyping) await this.events.emit('presence.typing.changed', { userId, channelId, typing: true });
  }

  async stop(userId: string, channelId: string): Promise<void> {
    const key = `${channelId}:${userId}`;
    const timer = this.timers.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(key);
    await this.events.emit('presence.typing.changed', { userId, channelId, typing: false });
    await this.presence.typingStore
      .clearTyping(channelId, userId)
      .catch((error: Error) => this.logger.warn(`Typing state of ${userId}: ${error.message}`));
  }
}
