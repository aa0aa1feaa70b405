// Our side of OpenID Connect (`openid-client`): the authorization code flow
// with PKCE (S256), state and nonce, against Pro Santé Connect or any issuer
// (or the embedded provider). The state goes to the browser in a cookie, the
// verifier and nonce into PostgreSQL (login_attempts), so that the callback
// may land on any instance and a state is good once.
import { loginOfIdnps } from '../../core/rpps.js';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { insertLoginAttempt, takeLoginAttempt } from '../../db/people.js';
import type { Database } from '../../db/schema.js';

const LOGIN_TTL_MS = 10 * 60_000;

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Default `openid profile`; Pro Santé Connect: `openid scope_all`. */
  scope: string;
  /** The claim naming the person (people.login): `preferred_username` by default; PSC: `SubjectNameID`. */
  loginClaim: string;
  /** e.g. `eidas1` for Pro Santé Connect. */
  acrValues?: string | undefined;
}

export interface Identity { login: string; name: string | undefined }

export class LoginFailed extends Error {
  override name = 'LoginFailed';
}

/** A person's login from the claim: PSC's national identifier of an RPPS holder is `8` + the 11-digit RPPS. */
export function loginFromClaim(value: string): string {
  return loginOfIdnps(value);
}

function hashState(state: string): Buffer {
  return createHash('sha256').update(state, 'utf8').digest();
}

export class RelyingParty {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly db: Kysely<Database>, readonly options: RelyingPartyOptions) {}

  /** The issuer's metadata, discovered at the first login (and again after a failure). */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc.discovery(new URL(this.options.issuer), this.options.clientId, undefined, oidc.ClientSecretBasic(this.options.clientSecret),
      new URL(this.options.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** Where to send the browser, and the state to keep in its cookie. */
  async start(returnTo: string): Promise<{ url: URL; state: string }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await insertLoginAttempt(this.db, { stateHash: hashState(state), codeVerifier, nonce, returnTo, expiresAt: new Date(Date.now() + LOGIN_TTL_MS) });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri, scope: this.options.scope, state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
      // Counter PCs are shared: after a logout, the provider's own session must not log the next person in silently.
      prompt: 'login',
      ...(this.options.acrValues !== undefined ? { acr_values: this.options.acrValues } : {}),
    });
    return { url, state };
  }

  /** The callback: the code exchanged (state, PKCE and nonce checked), the person's identity from the claims. */
  async finish(callbackUrl: URL, cookieState: string | undefined): Promise<{ identity: Identity; returnTo: string }> {
    const state = callbackUrl.searchParams.get('state');
    if (state === null || cookieState === undefined || state !== cookieState) throw new LoginFailed('the state does not match this browser');
    const attempt = await takeLoginAttempt(this.db, hashState(state));
    if (attempt === null) throw new LoginFailed('unknown or expired login attempt');
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: attempt.codeVerifier, expectedState: state, expectedNonce: attempt.nonce });
    let claims: Record<string, unknown> = { ...tokens.claims() };
    if (claims[this.options.loginClaim] === undefined) {
      // Pro Santé Connect puts SubjectNameID and the names in the userinfo answer only.
      claims = { ...claims, ...await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub)) };
    }
    const raw = claims[this.options.loginClaim];
    if (typeof raw !== 'string' || raw === '') throw new LoginFailed(`the identity has no ${this.options.loginClaim} claim`);
    const given = typeof claims.given_name === 'string' ? claims.given_name : undefined;
    const family = typeof claims.family_name === 'string' ? claims.family_name : undefined;
    const name = typeof claims.name === 'string' ? claims.name : [given, family].filter(Boolean).join(' ') || undefined;
    return { identity: { login: loginFromClaim(raw), name }, returnTo: attempt.returnTo };
  }
}
