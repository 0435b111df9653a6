export { buildApi, type Call } from './build-api';
export { createWsClient, OFFLINE_MESSAGE, TIMEOUT_MESSAGE, type WebSocketLike, type WsClient, type WsClientOptions } from './ws-client';
