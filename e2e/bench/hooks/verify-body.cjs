'use strict';
// A response counts as good only when it carries `data` and no `errors`.
// Apollo writes `errors` first; inside JSON strings quotes are escaped, so the
// raw text `"errors":` can only be the top-level key.
module.exports = function verifyBody(body) {
  const text = typeof body === 'string' ? body : String(body);
  return text.startsWith('{"data":{') && !text.includes('"errors":');
};
