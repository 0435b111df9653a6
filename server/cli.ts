/**
 * `npm run server -- --port 8787 --data-dir ./data …`: the standalone Partners API server.
 * Output is part of the interface scripts rely on: `admin key: …` (first start only) and
 * `listening on http://HOST:PORT`. Failures exit non-zero with one clear line on stderr.
 */
import { runAdminKeys } from './cli/admin-keys';
import { parseCliArgs, UsageError, USAGE } from './cli/args';
import { startServer, StartServerError, type RunningServer } from './start';
import { stopWhenNpmParentExits } from './cli/follow-npm-parent';
import { gracefulStop } from './cli/graceful-stop';
import { redactKeys } from './redact';

async function main(): Promise<number> {
  // Subcommands come first; without one, the command line starts the server.
  if (process.argv[2] === 'admin-keys') {
    return runAdminKeys(process.argv.slice(3), { out: (l) => console.log(l), err: (l) => console.error(l), now: () => new Date() });
  }
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${redactKeys(error.message)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const envKey = process.env.PARTNERDESK_ADMIN_KEY;
  let server: RunningServer;
  try {
    server = await startServer({
      dataDir: options.dataDir,
      port: options.port,
      host: options.host,
      upstream: options.upstream,
      ...(options.upstreamUrl ? { upstreamUrl: options.upstreamUrl } : {}),
      // Read only for the anthropic upstream, so a stray variable never reaches a sandbox server.
      ...(options.upstream === 'anthropic' && process.env.ANTHROPIC_API_KEY ? { upstreamApiKey: process.env.ANTHROPIC_API_KEY } : {}),
      ...(envKey !== undefined ? { adminKey: envKey } : {}),
      // Access log on stderr, so stdout stays the short machine-readable interface above.
      log: (line) => console.error(line),
      ownsProcess: true,
    });
  } catch (error) {
    const message = error instanceof StartServerError ? error.message : `cannot start: ${(error as Error).message}`;
    const hint = error instanceof StartServerError && error.code === 'admin_key' ? 'PARTNERDESK_ADMIN_KEY: ' : '';
    console.error(`error: ${hint}${message}`);
    return 1;
  }

  if (server.generatedAdminKey) {
    console.log(`admin key: ${server.generatedAdminKey}`);
    console.log('(shown once: store it now; it cannot be read back)');
  }
  console.log(`listening on ${server.url}`);

  const stopping = gracefulStop({
    close: () => server.close(),
    exitNow: (code) => process.exit(code),
    say: (line) => console.log(line),
    warn: (line) => console.error(line),
  });
  process.on('SIGTERM', stopping.onSignal);
  process.on('SIGINT', stopping.onSignal);
  stopWhenNpmParentExits(stopping.onParentExit);
  const code = await stopping.done;
  console.log('closed');
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  },
);
