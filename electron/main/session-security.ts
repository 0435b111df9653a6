import type { Session } from 'electron';

/**
 * The page's Content Security Policy. renderer/index.html carries the same policy in a meta tag
 * (a file:// page gets no response headers); this header covers pages served over http (the
 * dev server). The page talks to nothing but the preload: no remote scripts, no connections
 * beyond its own origin, no frames, no plugins, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Mantine sets style attributes and injects <style> for its CSS variables.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "worker-src 'none'",
].join('; ');

/**
 * Vite's dev server needs an inline module script (React Fast Refresh preamble) and a WebSocket
 * to its own origin ('self' covers ws: on the same host and port). Never used when packaged.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'",
);

export function secureSession(session: Session, options: { dev: boolean }): void {
  const policy = options.dev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
  // The app needs no camera, microphone, geolocation, notifications-from-the-page, etc.:
  // desktop notifications and the clipboard are driven by the main process.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
