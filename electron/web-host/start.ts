import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WS_TOKEN_PARAM } from '../../shared/ipc';
import { createDesktopCore, createFileLogger } from '../core';
import type { DesktopCore } from '../core/api';
import { createDevSecretStore } from './dev-secret-store';
import { createStaticHandler } from './static-files';
import { createWsBridge } from './ws-bridge';

export interface WebHostOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (electron-vite build → out/renderer). */
  rendererDir?: string;
}

export interface RunningWebHost {
  /** The page to open, token included. */
  url: string;
  core: DesktopCore;
  close(): Promise<void>;
}

/** Development and tests only: the real core and renderer, joined by a loopback WebSocket. */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const rendererDir = options.rendererDir ?? resolve(__dirname, '../../out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run "npx electron-vite build" first`);
  }
  const dataDir = resolve(options.dataDir);
  const logger = createFileLogger(dataDir);
  const core = await createDesktopCore({
    dataDir,
    logger,
    secrets: createDevSecretStore(join(dataDir, 'web-host-vault.key')),
  });

  const token = randomBytes(24).toString('base64url');
  let origin = '';
  const bridge = createWsBridge({ token, origin: () => origin, handlers: core.handlers, logger });
  const serveStatic = createStaticHandler(rendererDir);
  const server = createServer((req, res) => void serveStatic(req, res));
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
    });
  } catch (error) {
    await core.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  logger.info('web host: listening', { port });

  return {
    url: `${origin}/?${WS_TOKEN_PARAM}=${token}`,
    core,
    async close() {
      await bridge.close();
      await new Promise<void>((done) => server.close(() => done()));
      await core.close();
    },
  };
}
