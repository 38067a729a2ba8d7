// 4. Two instances on Redis: scenario 2's ladder and fixed rate with the sender on instance A and
// every receiver on instance B. Baseline: two minimal servers on @socket.io/redis-adapter.
import { fanoutMeasurements, seedFanout } from './fanout.mjs';

export default {
  id: 4,
  name: '4 Two instances on Redis',
  sizes: { quick: {}, full: {} }, // scenario 2's (fanout.twoInstanceMembers)

  seed: seedFanout,

  async setup(ctx) {
    const [parleyA, parleyB, baselineA, baselineB] = await Promise.all([
      ctx.startParley('parleyA', { redis: true }),
      ctx.startParley('parleyB', { redis: true }),
      ctx.startBaseline('baselineA', { redis: true }),
      ctx.startBaseline('baselineB', { redis: true }),
    ]);
    return { parleyA, parleyB, baselineA, baselineB };
  },

  measurements(ctx, data, { parleyA, parleyB, baselineA, baselineB }) {
    return fanoutMeasurements(
      ctx,
      '4 Two instances on Redis',
      data,
      { parley: { sender: parleyA, receivers: parleyB }, baseline: { sender: baselineA, receivers: baselineB } },
      '4 two instances',
      ctx.sizes.fanout.twoInstanceMembers,
    );
  },

  async teardown(ctx, servers) {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  },
};
