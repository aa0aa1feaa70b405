// JSON over real HTTP to a service instance (in-process or a child process).

/** JSON over real HTTP. */
export async function http(service: { url: string }, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(service.url + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let json: any = undefined;
  try { json = text === '' ? undefined : JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, json, text };
}
