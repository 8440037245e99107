'use strict';
// Varies each request: rotates over prepared bodies (reads), or fills a
// template with a fresh unique value (writes: new title and idempotency key).
const { randomUUID } = require('node:crypto');
const { benchConfig } = require('./shared.cjs');

let next = Math.floor(Math.random() * 1_000_000);

module.exports = function setupRequest(request) {
  const config = benchConfig();
  if (config.template) {
    request.body = config.template.body.replaceAll('__UNIQUE__', randomUUID());
    request.headers.authorization = config.template.authorization;
    return request;
  }
  const item = config.items[next++ % config.items.length];
  request.body = item.body;
  request.headers.authorization = item.authorization;
  return request;
};
