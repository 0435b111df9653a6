import { parseArgs } from 'node:util';
import { stopWhenNpmParentExits } from '../../server/cli/follow-npm-parent';
import { startWebHost } from './start';

/** `npm run web`: the app in your browser, for development and on machines without Electron. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.partnerdesk-web' },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run web -- [--data-dir DIR] [--port N]\n  Serves Partnerdesk on 127.0.0.1 for a browser, with its own local Partners API server.');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected an integer from 0 to 65535, got "${values.port}"`);
  }
  const host = await startWebHost({ dataDir: values['data-dir'] ?? '.partnerdesk-web', port });
  console.log(`Partnerdesk is running. Open this address in your browser:\n\n  ${host.url}\n`);
  console.log(`Data folder: ${values['data-dir']}    Stop with Ctrl+C.`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  stopWhenNpmParentExits(stop);
}

main().catch((error: unknown) => {
  console.error(`partnerdesk web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
