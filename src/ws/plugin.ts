// The WebSocket surface: @fastify/websocket's options (registered at the app's
// root, so its hooks run before authentication and a refused upgrade's socket
// is released) and the channel routes (registered in the authenticated /v1
// scope). On close, clients get 1001 (going away) before the HTTP server
// stops, and reconnect to another instance.
import type { WebsocketPluginOptions } from '@fastify/websocket';
import WebSocket from 'ws';
import type { WsHub } from './hub.js';

export { channelRoutes } from './channels.js';

export function websocketOptions(hub: WsHub): WebsocketPluginOptions {
  return {
    options: { maxPayload: hub.options.maxPayloadBytes, perMessageDeflate: false },
    preClose: async () => { await hub.closeAll(); },
    // Socket-level errors (a frame over maxPayload, a protocol violation): ws
    // has already sent its close code (1009, 1002); a handler failure gets 1011.
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error.message }, 'websocket error');
      if (socket.readyState === WebSocket.OPEN) socket.close(1011, 'internal error');
    },
  };
}
