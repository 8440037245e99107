export { startStack, type Stack, type StackOptions } from './stack.js';
export { listenForBackupRequests } from './backup-request.js';
