/** What the HTTP layer needs from its host, and what it attaches to each request. */
import type { Scope } from '../../shared/api';
import type { AdminKeyRecord, AuditRecord, PartnerRecord, Store } from '../store/types';
import type { GatewayConfig } from '../gateway/config';

export interface AppDeps {
  store: Store;
  clock: () => Date;
  /** One structured line per request or event; must never receive a key. */
  log: (line: string) => void;
  /** The /v1/messages gateway and its pass-throughs; without it those routes are not registered. */
  gateway?: GatewayConfig;
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
    /** Gateway routes: only partner keys may call them (admin keys manage, they do not send). */
    partnerOnly?: boolean;
  }
}
