/**
 * Anything shaped like an Anthropic-style key: admin, partner, and upstream keys too, whose
 * kind carries digits (`sk-ant-api03-…`), hence [a-z0-9] rather than [a-z]. The core never
 * logs keys on purpose; this pass is defence in depth against one slipping into a message.
 */
const KEY_PATTERN = /sk-ant-[a-z0-9]+-[A-Za-z0-9_-]+/g;

export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  return text.replace(KEY_PATTERN, REDACTED);
}
