export * from './common.js';
export * from './errors.js';
export * from './client-events.js';
export * from './server-events.js';
export * from './frames.js';
export * from './simple.js';
export * from './http.js';
export * from './conversations.js';
