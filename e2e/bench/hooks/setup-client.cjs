'use strict';
// Records every response time (ms, sub-millisecond precision) into a shared
// buffer: autocannon's own histogram keeps whole milliseconds only, too coarse
// for a 2 ms gateway-overhead goal.
const { benchConfig } = require('./shared.cjs');

module.exports = function setupClient(client) {
  const config = benchConfig();
  const latencies = new Float64Array(config.latencies);
  const count = new Int32Array(config.count);
  client.on('response', (_status, _bytes, responseTime) => {
    const i = Atomics.add(count, 0, 1);
    if (i < latencies.length) latencies[i] = responseTime;
  });
};
