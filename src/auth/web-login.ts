// Everything a person's login needs, built once by the composition root: the
// relying party (towards OIDC_ISSUER, else the embedded provider), the session
// store and cookie, our origin for the CSRF checks. The public base URL is
// known only once the server listens (PORT=0 picks the port), so the parts
// that depend on it are made at first use.
import type { Kysely } from 'kysely';
import { disablePerson, findPersonByLogin, insertPerson, listPeople, type Person } from '../db/people.js';
import type { PeopleStore } from '../usecases/admin/people.js';
import { hashPassword } from './passwords.js';
import type { Database } from '../db/schema.js';
import { EmbeddedProvider } from './oidc/embedded-provider.js';
import { RelyingParty } from './oidc/relying-party.js';
import type { SessionAuthentication } from './session/session-authentication.js';
import { cookiePolicy, type CookiePolicy } from './session/session-cookie.js';
import { SessionStore, type SessionLifetimes } from './session/session-store.js';

export const CALLBACK_PATH = '/app/auth/callback';

export interface WebLoginOptions {
  /** OIDC_ISSUER and our client there; undefined: the embedded provider. */
  external?: { issuer: string; clientId: string; clientSecret: string } | undefined;
  scope: string;
  loginClaim: string;
  acrValues?: string | undefined;
  lifetimes: SessionLifetimes;
}

export class WebLogin implements SessionAuthentication {
  readonly store: SessionStore;
  private base: string | undefined;
  private embeddedProvider: EmbeddedProvider | undefined;
  private rp: RelyingParty | undefined;
  private policy: CookiePolicy | undefined;

  constructor(private readonly db: Kysely<Database>, private readonly options: WebLoginOptions) {
    this.store = new SessionStore(db, options.lifetimes);
  }

  /** PUBLIC_BASE_URL, or the address the server listens on. */
  setPublicBaseUrl(url: string): void {
    this.base = url.replace(/\/+$/, '');
  }

  get publicBaseUrl(): string {
    if (this.base === undefined) throw new Error('the public base URL is not known before the server listens');
    return this.base;
  }

  origin(): string {
    return new URL(this.publicBaseUrl).origin;
  }

  cookie(): CookiePolicy {
    return this.policy ??= cookiePolicy(this.publicBaseUrl);
  }

  get usesEmbeddedProvider(): boolean {
    return this.options.external === undefined;
  }

  /** The embedded OpenID provider, or null when an external issuer is configured. */
  embedded(): EmbeddedProvider | null {
    if (this.options.external !== undefined) return null;
    return this.embeddedProvider ??= new EmbeddedProvider(this.db, this.publicBaseUrl, CALLBACK_PATH);
  }

  relyingParty(): RelyingParty {
    if (this.rp !== undefined) return this.rp;
    const embedded = this.embedded();
    const client = this.options.external ?? { issuer: embedded!.issuer, clientId: embedded!.client.clientId, clientSecret: embedded!.client.clientSecret };
    return this.rp = new RelyingParty(this.db, {
      ...client, redirectUri: `${this.publicBaseUrl}${CALLBACK_PATH}`,
      scope: this.options.scope, loginClaim: this.options.loginClaim, acrValues: this.options.acrValues,
    });
  }

  findPerson(login: string): Promise<Person | null> {
    return findPersonByLogin(this.db, login);
  }

  /** The coordinators' administration of people (src/usecases/admin/people.ts). */
  readonly people: PeopleStore = {
    list: (territory) => listPeople(this.db, territory),
    create: async (input) => {
      if (await findPersonByLogin(this.db, input.login) !== null) return null;
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      try {
        const person = await insertPerson(this.db, { login: input.login, name: input.name, role: input.role, territories: input.territories, passwordHash });
        return { id: person.id, login: person.login, name: person.name, role: input.role, territories: input.territories, disabled: false };
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return null; // taken meanwhile, or by a disabled person
        throw error;
      }
    },
    disable: (id, territories) => disablePerson(this.db, id, territories),
  };
}
