// jest-circus, with two additions to the globals a test file imports from '@jest/globals':
// - `expect(value, message)`: a failing assertion prints the message above the matcher's own output
//   (jest-expect-message; its types are in jest-expect-message.d.ts);
// - hooks start servers, databases and browsers: they get HOOK_TIMEOUT unless they name their own;
// and signal listeners (process.on('SIGUSR2', …)) reach the worker process itself: a test file's `process` is jest's
// copy, which no signal reaches, while the stacks a test starts listen for signals sent to process.pid.
// e2e/test-runner.test.ts checks these.
const circus = require('jest-circus/runner').default;
const withMessage = require('jest-expect-message/dist/withMessage').default;

const HOOK_TIMEOUT = 120_000;
const withHookTimeout = (hook) => (fn, timeout = HOOK_TIMEOUT) => hook(fn, timeout);

const LISTENER_METHODS = ['on', 'once', 'off', 'addListener', 'prependListener', 'prependOnceListener', 'removeListener'];
const isSignal = (event) => typeof event === 'string' && /^SIG[A-Z0-9]+$/.test(event);

/** Sends the sandbox's signal listeners to the real process; returns a function that removes those still there. */
function forwardSignalListeners(sandbox) {
  const added = [];
  for (const method of LISTENER_METHODS) {
    const own = sandbox[method];
    sandbox[method] = function (event, listener) {
      if (!isSignal(event)) return own.call(this, event, listener);
      process[method](event, listener);
      if (!method.startsWith('remove') && method !== 'off') added.push([event, listener]);
      return this;
    };
  }
  return () => {
    for (const [event, listener] of added) process.off(event, listener);
  };
}

module.exports = async (globalConfig, config, environment, runtime, testPath, sendMessageToJest) => {
  const removeSignalListeners = forwardSignalListeners(environment.global.process);
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
  try {
    return await circus(globalConfig, config, environment, runtime, testPath, sendMessageToJest);
  } finally {
    removeSignalListeners();
  }
};
