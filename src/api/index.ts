// Public surface of the client. Everything outside src/api imports from here.
export * from './types';
export { ChatClient } from './client';
