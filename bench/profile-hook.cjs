// Preloaded into a server by bench/profile.mjs (`node -r`): SIGUSR2 starts the V8 CPU profiler in
// the process, the next SIGUSR2 stops it and writes `<S3SCRIBE_PROFILE_OUT>-<n>.cpuprofile`.
'use strict';
const { writeFileSync } = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
let running = false;
let count = 0;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
    );
    return;
  }
  session.post('Profiler.stop', (err, result) => {
    running = false;
    if (!err)
      writeFileSync(`${process.env.S3SCRIBE_PROFILE_OUT}-${count++}.cpuprofile`, JSON.stringify(result.profile));
  });
});
