export { assertCanWrite, assertStorable, canRead, canWrite, idTaken, readScope, SHARED_LEVELS, type Actor, type ReadScope } from './access-rule.js';
