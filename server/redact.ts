/**
 * Keys end up where they do not belong: pasted into a URL, a query parameter's name, a field
 * name, a CLI argument. Anything the server says back (error bodies, log lines, CLI errors)
 * passes through here, so a key the caller misplaced is never echoed or written down.
 * Every key we mint or forward starts with `sk-ant-` (admin, partner, and Anthropic's own).
 */
/** What every key starts with. */
export const KEY_MARKER = 'sk-ant-';
// An already redacted key is left alone, so text redacted twice reads the same as once.
const KEY_LIKE = new RegExp(`${KEY_MARKER}(?!\\[redacted\\])[0-9A-Za-z_-]*`, 'g');

export const REDACTED_KEY = `${KEY_MARKER}[redacted]`;

export function redactKeys(text: string): string {
  return text.replace(KEY_LIKE, REDACTED_KEY);
}

/** An upstream answer's body, with any key it quotes (one pasted as a model name, say) redacted. */
export function redactBody(body: Buffer): Buffer {
  return body.includes(KEY_MARKER) ? Buffer.from(redactKeys(body.toString('utf8'))) : body;
}

export function looksLikeKey(text: string): boolean {
  return text.includes(KEY_MARKER);
}
