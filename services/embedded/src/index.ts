export { startStack, type Stack, type StackLayout, type StackOptions } from './stack.js';
export { listenForBackupRequests } from './backup-request.js';
