/**
 * The input estimate of admission: about one token per four characters of text.
 *
 * Exactly: ceil(C / 4), where C is the total length (UTF-16 code units) of every string value
 * (object keys excluded) found anywhere inside the request's `system`, `messages` and `tools`,
 * except that the `data` string of a `{"type":"base64", "media_type":"image/…"}` source counts
 * as IMAGE_CHARS characters: an image costs the upstream at most about 1,600 tokens
 * (it is resized to ~1.15 megapixels), while its base64 text is far longer.
 * Numbers, booleans and null count nothing. The walk reads the already-parsed body: the request
 * is never re-serialised.
 */
export const IMAGE_TOKENS = 1600;
const IMAGE_CHARS = IMAGE_TOKENS * 4;

function isImageSource(value: Record<string, unknown>): boolean {
  return value.type === 'base64' && typeof value.media_type === 'string' && value.media_type.startsWith('image/');
}

/** Iterative, so a hostile 32 MB body of nested arrays cannot overflow the stack. */
function charsIn(root: unknown): number {
  let n = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') n += value.length;
    else if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      const image = isImageSource(object);
      for (const key in object) {
        if (image && key === 'data' && typeof object[key] === 'string') n += IMAGE_CHARS;
        else pending.push(object[key]);
      }
    }
  }
  return n;
}

export function estimateInputTokens(body: { system?: unknown; messages?: unknown; tools?: unknown }): number {
  return Math.ceil((charsIn(body.system) + charsIn(body.messages) + charsIn(body.tools)) / 4);
}
