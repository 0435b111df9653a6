/** Command-line flags of `npm run server`, checked strictly: a typo must stop the start, not be ignored. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run server -- [options]
       npm run server -- admin-keys create|list|revoke … (see admin-keys --help)

Runs the Partners API server.

Options:
  --port N              port to listen on (default 8787; 0 = any free port)
  --data-dir DIR        where partners.db lives (default ./data; created if missing)
  --host HOST           address to bind (default 127.0.0.1)
  --upstream KIND       sandbox (default) or anthropic
  --upstream-url URL    base URL of the upstream (default https://api.anthropic.com)
  -h, --help            show this help

Environment:
  PARTNERDESK_ADMIN_KEY  an admin key to accept (sk-ant-admin- and at least 32 more characters);
                         registered for good: it keeps working when the variable is unset or
                         changed, until you revoke it with admin-keys revoke. Without it, the
                         first start generates one and prints it once
  ANTHROPIC_API_KEY      upstream key for --upstream anthropic (never logged)

Admin keys:
  admin-keys create --data-dir DIR [--name NAME]   mint an admin key and print it once
  admin-keys list --data-dir DIR                   id, name, hint, created, revoked (never a key)
  admin-keys revoke ID --data-dir DIR              revoke a key; it stops working on the next request
`;

export interface CliOptions {
  help: boolean;
  port: number;
  dataDir: string;
  host: string;
  upstream: 'sandbox' | 'anthropic';
  upstreamUrl?: string;
}

export class UsageError extends Error {}

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        upstream: { type: 'string' },
        'upstream-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const portText = v.port ?? '8787';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`--port: expected an integer from 0 to 65535, got "${portText}"`);
  }
  const upstream = v.upstream ?? 'sandbox';
  if (upstream !== 'sandbox' && upstream !== 'anthropic') {
    throw new UsageError(`--upstream: expected sandbox or anthropic, got "${upstream}"`);
  }
  if (v['upstream-url'] !== undefined && !/^https?:\/\/[^\s]+$/.test(v['upstream-url'])) {
    throw new UsageError('--upstream-url: expected an http:// or https:// URL');
  }
  if (v['data-dir'] === '' || v.host === '') throw new UsageError('--data-dir and --host must not be empty');
  return {
    help: v.help ?? false,
    port: Number(portText),
    dataDir: v['data-dir'] ?? './data',
    host: v.host ?? '127.0.0.1',
    upstream,
    ...(v['upstream-url'] !== undefined ? { upstreamUrl: v['upstream-url'] } : {}),
  };
}
