import { describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, secureSession } from './session-security';

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;

function fakeSession() {
  const calls: { headers?: HeadersListener; request?: (...args: unknown[]) => void; check?: (...args: unknown[]) => boolean } = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: HeadersListener) => (calls.headers = listener) },
    setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (calls.request = handler),
    setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (calls.check = handler),
  };
  return { session: session as unknown as Session, calls };
}

function headersFor(dev: boolean, responseHeaders: Record<string, string[]>): Record<string, string[]> {
  const { session, calls } = fakeSession();
  secureSession(session, { dev });
  let result: Record<string, string[]> = {};
  calls.headers!({ responseHeaders }, (response) => (result = response.responseHeaders));
  return result;
}

describe('secureSession', () => {
  it('sets the strict CSP on every response, replacing any the server sent', () => {
    expect(headersFor(false, { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] })).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('is strict: nothing by default, scripts only from the app, no frames, objects or forms', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; frame-src 'none'; object-src 'none'; worker-src 'none'",
    );
  });

  it("relaxes only script-src for Vite's dev server", () => {
    expect(headersFor(true, {})['Content-Security-Policy']).toEqual([DEV_CONTENT_SECURITY_POLICY]);
    expect(DEV_CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"));
  });

  it('denies every permission request and check', () => {
    const { session, calls } = fakeSession();
    secureSession(session, { dev: false });
    const callback = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      calls.request!({}, permission, callback);
      expect(calls.check!({}, permission, 'file://', {})).toBe(false);
    }
    expect(callback.mock.calls).toEqual([[false], [false], [false], [false], [false]]);
  });
});
