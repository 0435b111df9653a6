import { startServer, type RunningServer } from '../../../server/start';
import type { IpcChannel, IpcInput, IpcOutputs, IpcResult } from '../../../shared/ipc';
import type { DesktopCore } from '../api';
import { dispatch } from '../dispatch';
import type { StartServer } from '../embedded/server-port';
import { createDesktopCore } from '../index';
import { createFileLogger, type FileLogger } from '../log/file-logger';
import type { SecretStore } from '../ports';
import { generateAdminKey } from '../random';
import { xorSecretStore } from './fake-secret-stores';

export interface CoreUnderTest {
  core: DesktopCore;
  logger: FileLogger;
  call<C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcResult<IpcOutputs[C]>>;
  /** The value of a call that must succeed; fails the test with the error otherwise. */
  ok<C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcOutputs[C]>;
}

/** A starter that always fails: for tests that want no "This computer" account in the way. */
export const noEmbeddedServer: StartServer = async () => {
  throw new Error('embedded server disabled in this test');
};

export async function openCore(
  dataDir: string,
  options: { secrets?: SecretStore; startServer?: StartServer; requestTimeoutMs?: number } = {},
): Promise<CoreUnderTest> {
  const logger = createFileLogger(dataDir);
  const core = await createDesktopCore({
    dataDir,
    secrets: options.secrets ?? xorSecretStore(),
    logger,
    startServer: options.startServer ?? startServer,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const call = <C extends IpcChannel>(channel: C, input: IpcInput<C>) =>
    dispatch(core.handlers, channel, input) as Promise<IpcResult<IpcOutputs[C]>>;
  return {
    core,
    logger,
    call,
    async ok(channel, input) {
      const result = await call(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
  };
}

/** A real Partners API server somewhere else: the "remote" account of a test. */
export async function startRemoteServer(dataDir: string): Promise<RunningServer & { adminKey: string }> {
  const adminKey = generateAdminKey();
  const running = await startServer({ dataDir, port: 0, adminKey });
  return Object.assign(running, { adminKey });
}
