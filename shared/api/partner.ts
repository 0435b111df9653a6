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
/** Half of a surrogate pair: not valid Unicode, and SQLite would store it as U+FFFD — a silent change. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Bidirectional overrides and isolates make "\u202Eevil" display as "live": no place in a name. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** zod calls this for a missing field too; say "is required" then, not "expected a string". */
function expected(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `expected ${what}`);
}

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
  .string({ error: expected('a string') })
  .refine((v) => v.trim().length > 0, { error: 'must not be empty' })
  .refine((v) => v.trim() === v, { error: 'must not start or end with spaces' })
  .refine((v) => [...v].length <= NAME_MAX, { error: `must be at most ${NAME_MAX} characters` })
  .refine((v) => !CONTROL_CHARS.test(v), { error: 'must not contain control characters' })
  .refine((v) => !LONE_SURROGATE.test(v), { error: 'must be valid Unicode text' })
  .refine((v) => !BIDI_CONTROLS.test(v), { error: 'must not contain bidirectional override characters' });

const descriptionSchema = z
  .string({ error: 'expected a string or null' })
  .refine((v) => [...v].length <= DESCRIPTION_MAX, { error: `must be at most ${DESCRIPTION_MAX} characters` })
  .refine((v) => !LONE_SURROGATE.test(v), { error: 'must be valid Unicode text' })
  .nullable();

const scopeSchema = z.custom<Scope>(isScope, { error: `unknown scope; expected one of ${SCOPES.join(', ')}` });

const permissionsSchema = z
  .array(scopeSchema, { error: expected('an array of scopes') })
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

/** The editable fields, one schema each, shared by create and update so both accept the same values. */
function partnerFields(now: () => Date) {
  return {
    name: nameSchema,
    description: descriptionSchema,
    permissions: permissionsSchema,
    max_tokens_per_month: boundedInteger(TOKENS_PER_MONTH_MAX),
    requests_per_minute: boundedInteger(REQUESTS_PER_MINUTE_MAX),
    expires_at: expiresAtSchema(now),
  };
}

/** Body of POST /v1/partners. `now` decides what "in the future" means (injected for tests). */
export function createPartnerSchema(now: () => Date = () => new Date()) {
  const f = partnerFields(now);
  return z.strictObject(
    {
      name: f.name,
      description: f.description.optional(),
      permissions: f.permissions,
      max_tokens_per_month: f.max_tokens_per_month.optional(),
      requests_per_minute: f.requests_per_minute.optional(),
      expires_at: f.expires_at.optional(),
    },
    { error: 'expected a JSON object' },
  );
}

export const UPDATABLE_PARTNER_FIELDS = [
  'name',
  'description',
  'permissions',
  'max_tokens_per_month',
  'requests_per_minute',
  'expires_at',
  'active',
] as const;

/** Body of PATCH /v1/partners/{id}: any of the editable fields plus `active`, at least one. */
export function updatePartnerSchema(now: () => Date = () => new Date()) {
  const f = partnerFields(now);
  return z
    .strictObject(
      {
        name: f.name.optional(),
        description: f.description.optional(),
        permissions: f.permissions.optional(),
        max_tokens_per_month: f.max_tokens_per_month.optional(),
        requests_per_minute: f.requests_per_minute.optional(),
        expires_at: f.expires_at.optional(),
        active: z.boolean({ error: 'expected true or false' }).optional(),
      },
      { error: 'expected a JSON object' },
    )
    .refine((body) => Object.keys(body).length > 0, {
      error: `body: expected at least one of ${UPDATABLE_PARTNER_FIELDS.join(', ')}`,
    });
}

export type UpdatePartnerInput = z.input<ReturnType<typeof updatePartnerSchema>>;
export type UpdatePartnerValues = z.output<ReturnType<typeof updatePartnerSchema>>;

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
