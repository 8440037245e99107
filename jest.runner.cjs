// jest-circus, with two additions to the globals a test file imports from '@jest/globals':
// - `expect(value, message)`: a failing assertion prints the message above the matcher's own output
//   (jest-expect-message; its types are in jest-expect-message.d.ts);
// - hooks start servers, databases and browsers: they get HOOK_TIMEOUT unless they name their own.
// e2e/test-runner.test.ts checks both.
const circus = require('jest-circus/runner').default;
const withMessage = require('jest-expect-message/dist/withMessage').default;

const HOOK_TIMEOUT = 120_000;
const withHookTimeout = (hook) => (fn, timeout = HOOK_TIMEOUT) => hook(fn, timeout);

module.exports = (globalConfig, config, environment, runtime, testPath, sendMessageToJest) => {
  const setGlobals = runtime.setGlobalsForRuntime.bind(runtime);
  runtime.setGlobalsForRuntime = (globals) =>
    setGlobals({
      ...globals,
      expect: withMessage(globals.expect),
      beforeAll: withHookTimeout(globals.beforeAll),
      afterAll: withHookTimeout(globals.afterAll),
      beforeEach: withHookTimeout(globals.beforeEach),
      afterEach: withHookTimeout(globals.afterEach),
    });
  return circus(globalConfig, config, environment, runtime, testPath, sendMessageToJest);
};
