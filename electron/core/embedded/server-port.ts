import { startServer } from '../../../server/start';

/**
 * The embedded Partners API server as the core needs it: the real server's own starter and
 * types, so the two cannot drift. Tests inject a different starter through DesktopCoreDeps.
 */
export type { RunningServer, StartServerOptions } from '../../../server/start';
export type StartServer = typeof startServer;
export const realStartServer: StartServer = startServer;
