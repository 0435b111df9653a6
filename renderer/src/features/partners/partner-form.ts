import {
  createPartnerSchema,
  REQUESTS_PER_MINUTE_MAX,
  TOKENS_PER_MONTH_MAX,
  validate,
  type CreatePartnerValues,
  type Scope,
} from '../../../../shared/api';
import { parseWholeNumber } from '../../lib/format';

/** What the form holds: exactly what the user typed, as strings. */
export interface PartnerFormValues {
  name: string;
  description: string;
  permissions: Scope[];
  /** As typed ("2,000,000"); '' = unlimited. */
  maxTokensPerMonth: string;
  /** As typed; '' = the server's default. */
  requestsPerMinute: string;
  /** A datetime-local value ("2027-01-31T23:59") in the user's time zone; '' = never. */
  expiresAt: string;
}

export type PartnerFormField = keyof PartnerFormValues;
export type PartnerFormErrors = Partial<Record<PartnerFormField | 'form', string>>;

export const EMPTY_PARTNER_FORM: PartnerFormValues = {
  name: '',
  description: '',
  permissions: ['messages:write'],
  maxTokensPerMonth: '',
  requestsPerMinute: '',
  expiresAt: '',
};

const FIELD_BY_API_NAME: Record<string, PartnerFormField> = {
  name: 'name',
  description: 'description',
  permissions: 'permissions',
  max_tokens_per_month: 'maxTokensPerMonth',
  requests_per_minute: 'requestsPerMinute',
  expires_at: 'expiresAt',
};

const grouped = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** Friendlier words for the form than the API's "expected an integer …, or null". */
const INTEGER_HINTS: Partial<Record<PartnerFormField, string>> = {
  maxTokensPerMonth: `Enter a whole number from 1 to ${grouped(TOKENS_PER_MONTH_MAX)}, or leave it empty for no limit`,
  requestsPerMinute: `Enter a whole number from 1 to ${grouped(REQUESTS_PER_MINUTE_MAX)}, or leave it empty for the server default`,
};

function blankNumber(value: string): boolean {
  return value.trim() === '';
}

/**
 * A typed whole number ("2,000,000", "2 000 000") as a number. Anything that is not one
 * ("1.5", "-5", "1e6", "abc") is passed on as the text itself, so the schema rejects it and
 * the form says so: nothing the user typed is silently changed into something else.
 */
function toNumber(value: string): number | string {
  return parseWholeNumber(value) ?? value.trim();
}

/** The body the API expects, built from the form; the shared schema then judges it. */
export function toCreateInput(values: PartnerFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: values.name,
    permissions: values.permissions,
    max_tokens_per_month: blankNumber(values.maxTokensPerMonth) ? null : toNumber(values.maxTokensPerMonth),
  };
  if (values.description.trim()) input.description = values.description;
  if (!blankNumber(values.requestsPerMinute)) input.requests_per_minute = toNumber(values.requestsPerMinute);
  if (values.expiresAt.trim()) {
    // datetime-local has no zone: it means the user's local time.
    const local = new Date(values.expiresAt);
    input.expires_at = Number.isNaN(local.getTime()) ? values.expiresAt : local.toISOString();
  } else {
    input.expires_at = null;
  }
  return input;
}

/** "permissions[0]", "partner.permissions[1]" or "expires_at" → the form field it belongs to. */
export function formFieldFor(apiField: string | undefined): PartnerFormField | null {
  if (!apiField) return null;
  const head = apiField.replace(/^partner\./, '').split(/[.[]/)[0] ?? '';
  return FIELD_BY_API_NAME[head] ?? null;
}

function sentence(message: string): string {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

/** Drops a leading "field: " (the API names the field; under the input that is redundant). */
export function fieldMessage(apiField: string, message: string): string {
  const prefixes = [apiField, apiField.replace(/^partner\./, '')];
  for (const prefix of prefixes) {
    if (prefix && message.startsWith(`${prefix}: `)) return sentence(message.slice(prefix.length + 2));
  }
  return sentence(message);
}

function messageFor(field: PartnerFormField, apiField: string, message: string): string {
  if (INTEGER_HINTS[field] && message.includes('expected an integer')) return INTEGER_HINTS[field];
  return fieldMessage(apiField, message);
}

export type FormCheck = { ok: true; value: CreatePartnerValues } | { ok: false; errors: PartnerFormErrors };

/** Checks the form with the server's own schema, so the window and the server agree. */
export function checkPartnerForm(values: PartnerFormValues, now: () => Date = () => new Date()): FormCheck {
  const schema = createPartnerSchema(now);
  const input = toCreateInput(values);
  const first = validate(schema, input);
  if (first.ok) return { ok: true, value: first.value };

  const errors: PartnerFormErrors = {};
  const place = (apiField: string, message: string) => {
    const field = formFieldFor(apiField);
    if (field) errors[field] ??= messageFor(field, apiField, message);
    else errors.form ??= sentence(message);
  };
  place(first.error.field, first.error.message);
  // Show every field's problem at once, not one per submit.
  const all = schema.safeParse(input);
  if (!all.success) {
    for (const issue of all.error.issues) {
      const apiField = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
      place(apiField, issue.message);
    }
  }
  return { ok: false, errors };
}
