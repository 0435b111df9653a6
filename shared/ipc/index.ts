export * from './errors';
export * from './contract';
export * from './api';
export * from './ws-protocol';
