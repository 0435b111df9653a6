import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPartnerSchema, firstFieldError, keyHint, type Partner } from '../../../shared/api';
import { generateAdminKey, randomBase62 } from '../random';

/**
 * A small stand-in for the Partners API (list with pagination, create, admin-key auth, the
 * Anthropic error shape) for client tests that need odd answers the real server never gives:
 * a 429 with retry-after, a 500, an answer that never comes, a page that repeats.
 */
export interface FakePartnersApi {
  url: string;
  adminKey: string;
  partners: Partner[];
  /** Every request seen: method, path with query, and headers. */
  requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  /** The next request is answered with this instead. */
  failNext(status: number, body?: unknown, headers?: Record<string, string>): void;
  /** Requests hang this long before answering. */
  delayMs: number;
  addPartners(count: number): void;
  close(): Promise<void>;
}

function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: `req_${randomBase62(24)}` };
}

function makePartner(name: string, createdAt: Date): Partner {
  const at = createdAt.toISOString();
  return {
    type: 'partner', id: `partner_${randomBase62(24)}`, name, description: null, permissions: ['messages:write'],
    max_tokens_per_month: null, requests_per_minute: null, expires_at: null, active: true,
    key_hint: keyHint(randomBase62(8)), key_created_at: at, last_used_at: null, created_at: at, updated_at: at,
  };
}

export async function startFakePartnersApi(adminKey: string = generateAdminKey()): Promise<FakePartnersApi> {
  let injected: { status: number; body: unknown; headers: Record<string, string> } | null = null;
  let tick = Date.UTC(2026, 0, 1);
  const api: FakePartnersApi = {
    url: '', adminKey, partners: [], requests: [], delayMs: 0,
    failNext: (status, body = errorBody('api_error', 'injected'), headers = {}) => {
      injected = { status, body, headers };
    },
    addPartners: (count) => {
      for (let i = 0; i < count; i++) api.partners.unshift(makePartner(`Partner ${api.partners.length}`, new Date((tick += 1000))));
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    api.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    if (api.delayMs) await new Promise((r) => setTimeout(r, api.delayMs));
    if (injected) {
      const { status, body: b, headers } = injected;
      injected = null;
      return send(res, status, b, headers);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(req.headers['anthropic-version']))) {
      return send(res, 400, errorBody('invalid_request_error', 'anthropic-version: header is required'));
    }
    if (req.headers['x-api-key'] !== api.adminKey) return send(res, 401, errorBody('authentication_error', 'invalid x-api-key'));
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/v1/partners') return send(res, 404, errorBody('not_found_error', 'no such path'));
    if (req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const after = url.searchParams.get('after_id');
      const start = after ? api.partners.findIndex((p) => p.id === after) + 1 : 0;
      const data = api.partners.slice(start, start + limit);
      return send(res, 200, {
        data, has_more: start + limit < api.partners.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null,
      });
    }
    const parsed = createPartnerSchema().safeParse(JSON.parse(body || 'null'));
    if (!parsed.success) return send(res, 400, errorBody('invalid_request_error', firstFieldError(parsed.error).message));
    const partner = { ...makePartner(parsed.data.name, new Date((tick += 1000))), permissions: parsed.data.permissions };
    api.partners.unshift(partner);
    return send(res, 201, { ...partner, api_key: `sk-ant-partner-${randomBase62(43)}` });
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => void handle(req, res, body).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
