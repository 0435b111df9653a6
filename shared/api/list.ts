import { z } from 'zod';

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 1000;

export interface Page<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  });
}

const LIMIT_EXPECTED = `expected an integer from 1 to ${LIST_LIMIT_MAX}`;

/** The pagination parameters, for lists whose query strings add filters of their own. */
export const listQueryShape = {
  limit: z
    .string({ error: LIMIT_EXPECTED })
    .regex(/^[0-9]{1,4}$/, { error: LIMIT_EXPECTED })
    .transform(Number)
    .refine((n) => n >= 1 && n <= LIST_LIMIT_MAX, { error: LIMIT_EXPECTED })
    .optional(),
  after_id: z.string({ error: 'expected an ID' }).min(1, { error: 'expected an ID' }).optional(),
  before_id: z.string({ error: 'expected an ID' }).min(1, { error: 'expected an ID' }).optional(),
};

/** The refinement every paginated query carries: one cursor at most. */
export const ONE_CURSOR = {
  check: (q: { after_id?: string | undefined; before_id?: string | undefined }) => !(q.after_id && q.before_id),
  params: { error: 'give after_id or before_id, not both', path: ['before_id'] },
};

/** Query string of a paginated list: `limit`, `after_id`, `before_id` (never both cursors). */
export const listQuerySchema = z.strictObject(listQueryShape).refine(ONE_CURSOR.check, ONE_CURSOR.params);

export type ListQuery = z.output<typeof listQuerySchema>;
