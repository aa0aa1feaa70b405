// The session cookie: HttpOnly, SameSite=Lax, Path=/; Secure when the public
// base is https or a loopback address (browsers treat those as secure
// contexts), and then named with the `__Host-` prefix, which a browser only
// accepts from a secure origin without a Domain: no sibling host can set it.
export interface CookiePolicy {
  name: string;
  secure: boolean;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function cookiePolicy(publicBaseUrl: string, base = 'snp_session'): CookiePolicy {
  const url = new URL(publicBaseUrl);
  const secure = url.protocol === 'https:' || LOOPBACK.test(url.hostname);
  return { name: secure ? `__Host-${base}` : base, secure };
}

export function serializeCookie(policy: CookiePolicy, value: string, maxAgeSeconds: number): string {
  const parts = [`${policy.name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (policy.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The value of cookie `name` in a Cookie header (the first one). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
