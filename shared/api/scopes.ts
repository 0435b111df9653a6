/** Permission scopes a partner key can hold. Independent: none implies another. */
export const SCOPES = [
  'messages:read',
  'messages:write',
  'files:read',
  'files:write',
  'admin:read',
  'admin:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
  'messages:read': 'Read its own request history',
  'messages:write': 'Send messages',
  'files:read': 'Read files',
  'files:write': 'Upload and delete files',
  'admin:read': 'Read partners, usage and audit',
  'admin:write': 'Manage partners',
};

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
