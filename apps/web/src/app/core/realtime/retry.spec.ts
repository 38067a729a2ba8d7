import { type Ack, CommonErrorCode } from '@parley/contracts';
import { askUntilAnswered, retryDelayMs } from './retry';

const busy: Ack<number> = { ok: false, error: { code: CommonErrorCode.ServiceUnavailable, message: 'busy', retryable: true } };
const refused: Ack<number> = { ok: false, error: { code: CommonErrorCode.NotFound, message: 'no', retryable: false } };

describe('askUntilAnswered', () => {
  it('asks again after each retryable failure, waiting longer each time, until it is answered', async () => {
    const answers = [busy, busy, busy, { ok: true, data: 7 } as Ack<number>];
    const waits: number[] = [];
    const result = await askUntilAnswered(
      async () => answers.shift()!,
      () => true,
      async (ms) => void waits.push(ms),
    );
    expect(result).toEqual({ ok: true, data: 7 });
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('stops at an answer that retrying cannot change', async () => {
    let asked = 0;
    const result = await askUntilAnswered(async () => (asked++ ? busy : refused), () => true, async () => undefined);
    expect(result).toEqual(refused);
    expect(asked).toBe(1);
  });

  it('gives up when it is no longer wanted (the connection dropped)', async () => {
    let connected = true;
    let asked = 0;
    const result = await askUntilAnswered(
      async () => {
        asked++;
        return busy;
      },
      () => connected,
      async () => {
        if (asked === 2) connected = false;
      },
    );
    expect(result).toBeNull();
    expect(asked).toBe(2);
  });

  it('caps the wait at 30 seconds', () => {
    expect(retryDelayMs(20)).toBe(30_000);
  });
});
