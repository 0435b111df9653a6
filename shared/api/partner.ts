import { z } from 'zod';
import { SCOPES, isScope, type Scope } from './scopes';
import { PARTNER_ID_PATTERN } from './ids';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;
export const TOKENS_PER_MONTH_MAX = 1_000_000_000_000;
export const REQUESTS_PER_MINUTE_MAX = 100_000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
// eslint-disable-next-line no-control-regex -- we are matching control characters on purpose
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Parses an RFC 3339 date-time with any offset; null when malformed or not a real calendar instant. */
export function parseRfc3339(value: string): Date | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , offset] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  if (offset && offset.toUpperCase() !== 'Z') {
    const [oh, om] = offset.slice(1).split(':').map(Number);
    if ((oh ?? 99) > 23 || (om ?? 99) > 59) return null;
  }
  const date = new Date(value.toUpperCase());
  return Number.isNaN(date.getTime()) ? null : date;
}

const nameSchema = z
  .string({ error: 'expected a string' })
  .refine((v) => v.trim().length > 0, { error: 'must not be empty' })
  .refine((v) => [...v].length <= NAME_MAX, { error: `must be at most ${NAME_MAX} characters` })
  .refine((v) => !CONTROL_CHARS.test(v), { error: 'must not contain control characters' });

const descriptionSchema = z
  .string({ error: 'expected a string or null' })
  .refine((v) => [...v].length <= DESCRIPTION_MAX, { error: `must be at most ${DESCRIPTION_MAX} characters` })
  .nullable();

const scopeSchema = z.custom<Scope>(isScope, { error: `unknown scope; expected one of ${SCOPES.join(', ')}` });

const permissionsSchema = z
  .array(scopeSchema, { error: 'expected an array of scopes' })
  .min(1, { error: 'must hold at least one scope' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not list a scope twice' });

function boundedInteger(max: number) {
  const expected = `expected an integer from 1 to ${max}, or null`;
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(1, { error: expected })
    .max(max, { error: expected })
    .nullable();
}

const EXPIRY_EXPECTED = 'expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z, or null';

function expiresAtSchema(now: () => Date) {
  return z
    .string({ error: EXPIRY_EXPECTED })
    .refine((v) => parseRfc3339(v) !== null, { error: EXPIRY_EXPECTED, abort: true })
    .refine((v) => (parseRfc3339(v)?.getTime() ?? 0) > now().getTime(), { error: 'must be in the future' })
    .transform((v) => (parseRfc3339(v) as Date).toISOString())
    .nullable();
}

/** Body of POST /v1/partners. `now` decides what "in the future" means (injected for tests). */
export function createPartnerSchema(now: () => Date = () => new Date()) {
  return z.strictObject(
    {
      name: nameSchema,
      description: descriptionSchema.optional(),
      permissions: permissionsSchema,
      max_tokens_per_month: boundedInteger(TOKENS_PER_MONTH_MAX).optional(),
      requests_per_minute: boundedInteger(REQUESTS_PER_MINUTE_MAX).optional(),
      expires_at: expiresAtSchema(now).optional(),
    },
    { error: 'expected a JSON object' },
  );
}

export type CreatePartnerInput = z.input<ReturnType<typeof createPartnerSchema>>;
export type CreatePartnerValues = z.output<ReturnType<typeof createPartnerSchema>>;

const timestamp = z.string();

/** A partner as the API returns it. Not strict: a newer server may add fields. */
export const partnerSchema = z.object({
  type: z.literal('partner'),
  id: z.string().regex(PARTNER_ID_PATTERN),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  max_tokens_per_month: z.number().int().nullable(),
  requests_per_minute: z.number().int().nullable(),
  expires_at: timestamp.nullable(),
  active: z.boolean(),
  key_hint: z.string(),
  key_created_at: timestamp,
  last_used_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export type Partner = z.infer<typeof partnerSchema>;

export const createdPartnerSchema = partnerSchema.extend({ api_key: z.string() });
export type CreatedPartner = z.infer<typeof createdPartnerSchema>;
