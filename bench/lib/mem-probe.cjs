// Preloaded (--require) into every server the bench starts, Parley and baselines alike.
// Over the IPC channel from run.mjs it answers:
//  { memProbe }          → memory after a full garbage collection (needs --expose-gc)
//  { cpuProfile: 'start' } / { cpuProfile: 'stop', file } → a CPU profile of a window
//                           (node:inspector in process; only with `npm run bench -- --profile`)
// It only observes; the server under test is not otherwise touched.
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');

if (typeof process.send === 'function') {
  let session = null;
  process.on('message', (message) => {
    if (!message) return;
    if (message.memProbe !== undefined) {
      if (typeof global.gc === 'function') {
        global.gc();
        global.gc();
      }
      process.send({ memProbe: message.memProbe, ...process.memoryUsage() });
    } else if (message.cpuProfile === 'start' && !session) {
      session = new inspector.Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 250 }, () =>
          session.post('Profiler.start', () => process.send({ cpuProfile: 'started' })),
        ),
      );
    } else if (message.cpuProfile === 'stop' && session) {
      session.post('Profiler.stop', (error, result) => {
        if (!error) fs.writeFileSync(message.file, JSON.stringify(result.profile));
        session.disconnect();
        session = null;
        process.send({ cpuProfile: 'stopped', error: error ? String(error) : null });
      });
    }
  });
  if (process.channel && typeof process.channel.unref === 'function') process.channel.unref();
}
