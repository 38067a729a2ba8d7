import { ChainTurns } from './chain-turns';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ChainTurns', () => {
  it('runs the work of one chain one at a time (width 1), in the order asked', async () => {
    const turns = new ChainTurns(1);
    const log: string[] = [];
    const gates = [0, 1, 2].map(() => {
      let open!: () => void;
      return { promise: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    });
    const runs = [0, 1, 2].map((i) =>
      turns.run('w1', async () => {
        log.push(`start ${i}`);
        await gates[i].promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await tick();
    expect(log).toEqual(['start 0']);
    gates[1].open(); // the second may not start early because its own gate is open
    await tick();
    expect(log).toEqual(['start 0']);
    gates[0].open();
    gates[2].open();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(turns.busy).toBe(0);
  });

  it('runs up to `width` of one chain at once, the next starting as soon as one ends', async () => {
    const turns = new ChainTurns(2);
    const started: number[] = [];
    const opens: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((i) =>
      turns.run('w1', async () => {
        started.push(i);
        await new Promise<void>((resolve) => (opens[i] = resolve));
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    opens[1]();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    opens[0]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    opens[2]();
    opens[3]();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(turns.busy).toBe(0);
  });

  it('lets different chains (and the chain outside workspaces) run side by side', async () => {
    const turns = new ChainTurns();
    const started: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const a = turns.run('w1', async () => (started.push('w1'), gate));
    const b = turns.run('w2', async () => (started.push('w2'), gate));
    const c = turns.run(null, async () => (started.push('none'), gate));
    await tick();
    expect(started).toEqual(['w1', 'w2', 'none']);
    expect(turns.busy).toBe(3);
    open();
    await Promise.all([a, b, c]);
    expect(turns.busy).toBe(0);
  });

  it('passes a failure to its caller and still gives the next one its turn', async () => {
    const turns = new ChainTurns(1);
    const failing = turns.run('w1', async () => {
      throw new Error('rolled back');
    });
    const next = turns.run('w1', async () => 'next ran');
    await expect(failing).rejects.toThrow('rolled back');
    await expect(next).resolves.toBe('next ran');
    expect(turns.busy).toBe(0);
  });
});
