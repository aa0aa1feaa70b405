// The embedded default OpenID provider (the `oidc-provider` package): used when
// no external issuer (Pro Santé Connect) is configured, like the embedded
// database. Its accounts are the people with a password (src/db/people.ts);
// its one client is our own web app, a first-party client whose consent is
// implied. Its state (login sessions, codes) lives in memory: a login started
// on an instance finishes there, which is fine for a default meant for one.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { findPersonByLogin } from '../../db/people.js';
import type { Database } from '../../db/schema.js';
import { verifyPassword } from '../passwords.js';
import { loginPage } from './login-page.js';

export const EMBEDDED_PREFIX = '/oidc';

export interface EmbeddedClient { clientId: string; clientSecret: string; redirectUri: string }

export class EmbeddedProvider {
  readonly issuer: string;
  readonly client: EmbeddedClient;
  private readonly provider: Provider;
  private readonly handle: (req: IncomingMessage, res: ServerResponse) => void;

  constructor(private readonly db: Kysely<Database>, publicBaseUrl: string, redirectPath: string) {
    this.issuer = `${publicBaseUrl}${EMBEDDED_PREFIX}`;
    this.client = { clientId: 'snp-match-web', clientSecret: randomBytes(32).toString('base64url'), redirectUri: `${publicBaseUrl}${redirectPath}` };
    // Signing keys of this process: its ID tokens are read at once by our own relying party.
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const configuration: Configuration = {
      clients: [{
        client_id: this.client.clientId, client_secret: this.client.clientSecret, redirect_uris: [this.client.redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256',
      }],
      jwks: { keys: [{ ...signing, kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' } as never] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      interactions: { url: (_ctx, interaction) => `${EMBEDDED_PREFIX}/interaction/${interaction.uid}` },
      findAccount: async (_ctx, login) => {
        const person = await findPersonByLogin(db, login);
        if (person === null) return undefined;
        return { accountId: login, claims: () => ({ sub: login, name: person.name, preferred_username: login }) };
      },
      // First-party client: the person consents by logging in.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const session = ctx.oidc.session!;
        const clientId = ctx.oidc.client!.clientId;
        const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(clientId);
        if (grantId !== undefined) {
          const found = await ctx.oidc.provider.Grant.find(grantId);
          if (found !== undefined) return found;
        }
        const grant = new ctx.oidc.provider.Grant({ clientId, accountId: session.accountId! });
        grant.addOIDCScope('openid profile');
        await grant.save();
        session.grantIdFor(clientId, grant.jti);
        return grant;
      },
      renderError: (ctx, out) => {
        ctx.type = 'html';
        ctx.body = loginPage({ title: 'Erreur de connexion', error: `La connexion a échoué (${String(out.error)}${out.error_description ? ` : ${String(out.error_description)}` : ''}). Revenez à l'application et recommencez.` });
      },
    };
    this.provider = new Provider(this.issuer, configuration);
    // Behind a TLS-terminating proxy the request says http; X-Forwarded-Proto says what the browser used.
    this.provider.proxy = true;
    this.handle = this.provider.callback();
  }

  /** Serves a request under EMBEDDED_PREFIX (the provider's own endpoints). */
  serve(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    // The provider routes without its mount path and finds it back from originalUrl.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(EMBEDDED_PREFIX.length) || '/';
    this.handle(req, res);
  }

  /** GET /oidc/interaction/:uid — the login form. */
  async showLogin(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    await this.provider.interactionDetails(req, res);
    send(res, 200, loginPage({ title: 'Se connecter', action: `${EMBEDDED_PREFIX}/interaction/${uid}/login` }));
  }

  /** POST /oidc/interaction/:uid/login — checks the password, then hands the login back to the provider. */
  async login(req: IncomingMessage, res: ServerResponse, uid: string, form: URLSearchParams): Promise<void> {
    await this.provider.interactionDetails(req, res);
    const login = (form.get('login') ?? '').trim();
    const password = form.get('password') ?? '';
    const person = login === '' ? null : await findPersonByLogin(this.db, login);
    const ok = person?.passwordHash != null && await verifyPassword(password, person.passwordHash);
    if (!ok) {
      send(res, 401, loginPage({ title: 'Se connecter', action: `${EMBEDDED_PREFIX}/interaction/${uid}/login`, login, error: 'Identifiant ou mot de passe incorrect.' }));
      return;
    }
    await this.provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
