import { firstFieldError } from '../../shared/api';
import { ipcContract, type IpcChannel, type IpcResult } from '../../shared/ipc';
import type { IpcHandlers } from './api';
import { isCoreError } from './errors';
import type { Logger } from './ports';

const INTERNAL_MESSAGE = 'Something went wrong inside Partnerdesk. The details are in its log file.';

/** Loggers of the handler maps that createDesktopCore built, so hosts need not pass one. */
const handlerLoggers = new WeakMap<IpcHandlers, Logger>();

export function attachLogger(handlers: IpcHandlers, logger: Logger): void {
  handlerLoggers.set(handlers, logger);
}

function isChannel(channel: string): channel is IpcChannel {
  return Object.prototype.hasOwnProperty.call(ipcContract, channel);
}

/**
 * The one entry point for every host (Electron IPC, the web host's WebSocket, tests):
 * checks the channel and its input against the contract, runs the handler, and always
 * answers an envelope. It never throws, so no host needs its own error handling.
 */
export async function dispatch(
  handlers: IpcHandlers,
  channel: string,
  rawInput: unknown,
  logger?: Logger,
): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid_input', message: `Unknown channel: ${String(channel).slice(0, 80)}` } };
  }
  const parsed = ipcContract[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const { field, message } = firstFieldError(parsed.error);
    return { ok: false, error: { code: 'invalid_input', field, message } };
  }
  try {
    // The contract ties each channel to its handler's input type; TypeScript cannot follow a
    // union-typed channel through the lookup, hence the widening.
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isCoreError(error)) return { ok: false, error: error.toIpcError() };
    // Only the name and message are logged, never the input, which may hold a key.
    (logger ?? handlerLoggers.get(handlers))?.error('handler failed', {
      channel,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    return { ok: false, error: { code: 'internal', message: INTERNAL_MESSAGE } };
  }
}
