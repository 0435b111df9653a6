/** POST /v1/partners/{id}/rotate: its optional body and its answer. */
import { z } from 'zod';

/** One week: long enough to roll a key out to every deployment, short enough to bound a leak. */
export const GRACE_PERIOD_MAX_SECONDS = 604_800;

const GRACE_EXPECTED = `expected an integer from 0 to ${GRACE_PERIOD_MAX_SECONDS}`;

export const rotateKeySchema = z.strictObject(
  {
    grace_period_seconds: z
      .number({ error: GRACE_EXPECTED })
      .int({ error: GRACE_EXPECTED })
      .min(0, { error: GRACE_EXPECTED })
      .max(GRACE_PERIOD_MAX_SECONDS, { error: GRACE_EXPECTED })
      .optional(),
  },
  { error: 'expected a JSON object' },
);

export type RotateKeyInput = z.input<typeof rotateKeySchema>;

export const partnerKeySchema = z.object({
  type: z.literal('partner_key'),
  partner_id: z.string(),
  api_key: z.string(),
  key_hint: z.string(),
  previous_key_expires_at: z.string(),
});

export type PartnerKey = z.infer<typeof partnerKeySchema>;
