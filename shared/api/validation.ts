import type { z } from 'zod';

/** A rejected input, naming the field and what was expected: "name: must not be empty". */
export interface FieldError {
  field: string;
  message: string;
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Turns zod's first issue into one human sentence that names the field. */
export function firstFieldError(error: z.ZodError): FieldError {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid input' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const field = fieldPath([...issue.path, key]);
    return { field, message: `${field}: unknown field` };
  }
  const field = fieldPath(issue.path);
  return { field, message: field ? `${field}: ${issue.message}` : issue.message };
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: FieldError };

export function validate<T>(schema: z.ZodType<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: firstFieldError(result.error) };
}
