/** Audit log entries as the API returns them, and the query string of GET /v1/audit-logs. */
import { z } from 'zod';
import { ONE_CURSOR, listQueryShape } from './list';
import { PARTNER_ID_PATTERN } from './ids';
import { parseRfc3339 } from './partner';

/** Every action the server writes. A filter naming anything else is a typo, so it is refused. */
export const AUDIT_ACTIONS = [
  'partner.created',
  'partner.updated',
  'partner.deleted',
  'partner.key_rotated',
  'partner.usage_limit_reached',
  'partner.auth_rejected',
  'partner.permission_denied',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** One audit entry. Not strict and `action` is any string: a newer server may add both. */
export const auditLogSchema = z.object({
  type: z.literal('audit_log'),
  id: z.string(),
  timestamp: z.string(),
  action: z.string(),
  partner_id: z.string().nullable(),
  partner_name: z.string().nullable(),
  actor: z.object({ type: z.enum(['admin_key', 'partner']), id: z.string(), name: z.string() }),
  request_id: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export type AuditLog = z.infer<typeof auditLogSchema>;

const INSTANT_EXPECTED = 'expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z';

/** A query-string instant with any offset, normalised to UTC with milliseconds and `Z`. */
const instant = z
  .string({ error: INSTANT_EXPECTED })
  .refine((v) => parseRfc3339(v) !== null, { error: INSTANT_EXPECTED, abort: true })
  .transform((v) => (parseRfc3339(v) as Date).toISOString());

/** Query of GET /v1/audit-logs: pagination plus `partner_id`, `action`, `since` (inclusive), `until` (exclusive). */
export const auditQuerySchema = z
  .strictObject({
    ...listQueryShape,
    partner_id: z
      .string({ error: 'expected a partner ID such as partner_…' })
      .regex(PARTNER_ID_PATTERN, { error: 'expected a partner ID such as partner_…' })
      .optional(),
    action: z
      .custom<AuditAction>(isAuditAction, { error: `unknown action; expected one of ${AUDIT_ACTIONS.join(', ')}` })
      .optional(),
    since: instant.optional(),
    until: instant.optional(),
  })
  .refine(ONE_CURSOR.check, ONE_CURSOR.params)
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    error: 'must not be later than until',
    path: ['since'],
  });

export type AuditQuery = z.output<typeof auditQuerySchema>;
