export * from './errors';
export * from './auth';
export * from './users';
export * from './health';
export * from './permissions';
export * from './workspaces';
export * from './channels';
export * from './audit';
