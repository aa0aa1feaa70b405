// Browser sessions of people: 256 random bits in a cookie, their SHA-256 in
// PostgreSQL, an idle expiry pushed by use (at most once a minute: a write per
// request would cost more than the session is worth) and an absolute expiry.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { endSession, findLiveSession, insertSession, liveSessions, touchSession, type SessionRow } from '../../db/people.js';
import type { Database } from '../../db/schema.js';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

export interface NewSession { id: string; csrfToken: string; expiresAt: Date }

export function hashSessionId(id: string): Buffer {
  return createHash('sha256').update(id, 'utf8').digest();
}

export class SessionStore {
  constructor(private readonly db: Kysely<Database>, readonly lifetimes: SessionLifetimes) {}

  async create(personId: string, now = Date.now()): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + this.lifetimes.absoluteMs);
    await insertSession(this.db, { idHash: hashSessionId(id), personId, csrfToken, idleExpiresAt: new Date(Math.min(now + this.lifetimes.idleMs, expiresAt.getTime())), expiresAt });
    return { id, csrfToken, expiresAt };
  }

  /** The live session a cookie names (null: none, ended, expired or its person disabled); its idle expiry pushed. */
  async find(id: string, now = Date.now()): Promise<SessionRow | null> {
    if (!SESSION_ID.test(id)) return null;
    const idHash = hashSessionId(id);
    const session = await findLiveSession(this.db, idHash, new Date(now));
    if (session === null) return null;
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      const idleExpiresAt = new Date(Math.min(now + this.lifetimes.idleMs, session.expiresAt.getTime()));
      await touchSession(this.db, idHash, idleExpiresAt);
      session.idleExpiresAt = idleExpiresAt;
    }
    return session;
  }

  async end(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await endSession(this.db, hashSessionId(id));
  }

  /** Of these sessions (AuthenticatedClient.sessionId), the live ones and their absolute expiry (credential-watch). */
  live(sessionIds: readonly string[]): Promise<Map<string, Date>> {
    return liveSessions(this.db, sessionIds);
  }
}
