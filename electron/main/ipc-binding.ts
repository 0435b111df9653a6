import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_PREFIX, IPC_CHANNELS, type IpcResult } from '../../shared/ipc';
import type { IpcHandlers } from '../core/api';
import { dispatch } from '../core/dispatch';

/** Who may call: our own window's top frame, showing our own page. */
export interface SenderPolicy {
  ownWebContents(): WebContents | null;
  isAppUrl(url: string): boolean;
}

export const FORBIDDEN: IpcResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the Partnerdesk window.' },
};

export function isTrustedSender(event: IpcMainInvokeEvent, policy: SenderPolicy): boolean {
  const own = policy.ownWebContents();
  if (!own || own.isDestroyed() || event.sender !== own) return false;
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed has no trustworthy URL; sub-frames never call.
  if (!frame || frame.parent !== null) return false;
  return policy.isAppUrl(frame.url);
}

/**
 * Serves every contract channel on `CHANNEL_PREFIX + channel`: checks the sender, then hands the
 * raw input to the core's dispatch, which validates it and always answers an envelope.
 * Returns a function that removes the handlers again.
 */
export function bindIpc(handlers: IpcHandlers, policy: SenderPolicy): () => void {
  const serve = (channel: string) => async (event: IpcMainInvokeEvent, input: unknown) =>
    isTrustedSender(event, policy) ? dispatch(handlers, channel, input) : FORBIDDEN;

  for (const channel of IPC_CHANNELS) ipcMain.handle(CHANNEL_PREFIX + channel, serve(channel));
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(CHANNEL_PREFIX + channel);
  };
}
