export { buildApi, type Call } from './build-api';
export { createWsClient, NOT_CONNECTED_MESSAGE, OFFLINE_MESSAGE, TIMEOUT_MESSAGE, type WebSocketLike, type WsClient, type WsClientOptions } from './ws-client';
