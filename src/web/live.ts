// The page's socket to the service: same origin, so the browser sends the
// session cookie with the upgrade. Reconnects with a growing delay; a close
// with 4401 (session ended) sends the person back to the login.
export type LiveState = 'connexion' | 'en-direct' | 'hors-ligne' | 'session-terminee';

export function openLive(channel: string, territory: string | undefined, onState: (state: LiveState) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    onState('connexion');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = territory === undefined ? '' : `?territory=${encodeURIComponent(territory)}`;
    socket = new WebSocket(`${scheme}://${location.host}/v1/ws/${channel}${query}`);
    socket.onopen = () => { delay = 500; onState('en-direct'); };
    socket.onclose = (event) => {
      if (stopped) return;
      if (event.code === 4401) return onState('session-terminee');
      onState('hors-ligne');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15_000);
    };
  };
  connect();
  return () => { stopped = true; clearTimeout(timer); socket?.close(1000); };
}
