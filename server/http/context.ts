/** What the HTTP layer needs from its host, and what it attaches to each request. */
import type { Scope } from '../../shared/api';
import type { AdminKeyRecord, AuditRecord, PartnerRecord, Store } from '../store/types';

export interface AppDeps {
  store: Store;
  clock: () => Date;
  /** One structured line per request or event; must never receive a key. */
  log: (line: string) => void;
  /** Where the gateway (a later issue) forwards /v1/messages; carried here so it needs no new plumbing. */
  upstream?: { kind: 'sandbox' | 'anthropic'; url?: string };
}

/** Who is calling: resolved once per request by the auth hook. */
export type Caller = { kind: 'admin'; adminKey: AdminKeyRecord } | { kind: 'partner'; partner: PartnerRecord };

export function actorOf(caller: Caller): AuditRecord['actor'] {
  return caller.kind === 'admin'
    ? { type: 'admin_key', id: caller.adminKey.id, name: caller.adminKey.name }
    : { type: 'partner', id: caller.partner.id, name: caller.partner.name };
}

export function holds(caller: Caller, scope: Scope): boolean {
  return caller.kind === 'admin' || caller.partner.permissions.includes(scope);
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    startedAt: number;
  }
  interface FastifyContextConfig {
    /** The scope a partner key must hold for this route; admin keys hold every scope. */
    scope?: Scope;
  }
}
