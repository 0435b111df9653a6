export * from './scopes';
export * from './errors';
export * from './ids';
export * from './validation';
export * from './partner';
export * from './list';
