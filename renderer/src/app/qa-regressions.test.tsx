import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { account, accountsState, fail, fakeApi, ok, partner } from '../../test/fake-api';
import { renderApp } from '../../test/render';
import { errorOf } from '../../test/field-error';
import { createApi, needsAccessToken } from '../api';
import type { WebSocketLike } from '../transport';
import { parseWholeNumber } from '../lib/format';
import { offlineMessage } from '../features/partners/PartnersPage';
import { MissingToken } from './MissingToken';
import { Root } from './Root';

// Regression tests for the QA pass: each one failed before its fix.

const KEY = `sk-ant-partner-${'Qz7'.repeat(14)}X`;
const TOKENS_HINT = 'Enter a whole number from 1 to 1,000,000,000,000, or leave it empty for no limit';
const RPM_HINT = 'Enter a whole number from 1 to 100,000, or leave it empty for the server default';
const LONG_URL = `https://example.com/${'a'.repeat(1000)}`;

function partnersApp(extra: Parameters<typeof fakeApi>[0] = {}, partners = [partner({ name: 'Existing agent' })]) {
  const fake = fakeApi({
    'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
    'accounts:list': () => ok(accountsState([account()], 'acct_local')),
    'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners }),
    'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: '2026-03-03T12:00:00Z', partners }),
    ...extra,
  });
  return { fake, ...renderApp(fake.api) };
}

async function openNewPartner(user: ReturnType<typeof renderApp>['user']) {
  await screen.findAllByTestId('partner-row');
  await user.click(screen.getByTestId('new-partner-button'));
  return screen.findByRole('dialog', { name: 'New partner' });
}

describe('1. limits keep exactly what was typed', () => {
  it.each([
    ['1.5', 'type'],
    ['-5', 'type'],
    ['1e6', 'type'],
    ['1.5', 'paste'],
    ['2.000.000', 'paste'],
    ['abc', 'paste'],
  ] as const)('%s (%s) stays as typed and is refused, not silently changed', async (text, how) => {
    const { fake, user } = partnersApp();
    const form = within(await openNewPartner(user));
    await user.type(form.getByLabelText(/^Name/), 'Agent');
    const tokens = form.getByLabelText('Monthly token limit');
    const rpm = form.getByLabelText('Requests per minute');
    for (const input of [tokens, rpm]) {
      if (how === 'type') {
        await user.type(input, text);
      } else {
        await user.click(input);
        await user.paste(text);
      }
      expect(input).toHaveValue(text);
    }
    await user.click(form.getByRole('button', { name: 'Create partner' }));
    expect(errorOf(tokens)).toBe(TOKENS_HINT);
    expect(errorOf(rpm)).toBe(RPM_HINT);
    expect(tokens).toHaveValue(text);
    expect(fake.callsTo('partners:create')).toHaveLength(0);
  });

  it('accepts thousands separators (commas, spaces) and sends the whole number', async () => {
    const { fake, user } = partnersApp({
      'partners:create': ({ partner: body }) => ok({ partner: partner({ name: String(body.name) }), apiKey: KEY }),
    });
    const form = within(await openNewPartner(user));
    await user.type(form.getByLabelText(/^Name/), 'Agent');
    await user.type(form.getByLabelText('Monthly token limit'), '2,000,000');
    await user.type(form.getByLabelText('Requests per minute'), '1 000');
    expect(form.getByLabelText('Monthly token limit')).toHaveValue('2,000,000');
    await user.click(form.getByRole('button', { name: 'Create partner' }));
    await screen.findByRole('dialog', { name: 'Save this key now' });
    expect(fake.callsTo('partners:create')).toEqual([
      {
        accountId: 'acct_local',
        partner: {
          name: 'Agent',
          permissions: ['messages:write'],
          max_tokens_per_month: 2_000_000,
          requests_per_minute: 1000,
          expires_at: null,
        },
      },
    ]);
  });

  it('parses only whole numbers, with the separators of the locale', () => {
    expect(parseWholeNumber('2,000,000', 'en-US')).toBe(2_000_000);
    expect(parseWholeNumber(' 2 000 000 ', 'en-US')).toBe(2_000_000);
    expect(parseWholeNumber('2000000', 'en-US')).toBe(2_000_000);
    expect(parseWholeNumber('2.000.000', 'de-DE')).toBe(2_000_000);
    expect(parseWholeNumber('2\u202f000\u202f000', 'fr-FR')).toBe(2_000_000);
    for (const bad of ['1.5', '-5', '1e6', 'abc', '2.000.000', '1,5', '1,0000', '+3', '0x10', '', ',000']) {
      expect(parseWholeNumber(bad, 'en-US')).toBeNull();
    }
    // In German a comma is the decimal point: "1,500" is one and a half, not 1500.
    expect(parseWholeNumber('1,500', 'de-DE')).toBeNull();
  });
});

describe('2. long names and descriptions wrap instead of widening the page', () => {
  it('breaks long names and descriptions anywhere, clamps the description and keeps the full text in a title', async () => {
    const longName = `Agent-${'x'.repeat(94)}`;
    partnersApp({}, [partner({ name: longName, description: LONG_URL })]);
    const [row] = await screen.findAllByTestId('partner-row');
    const cell = within(row as HTMLElement).getAllByRole('cell')[0] as HTMLElement;
    const name = within(cell).getByText(longName);
    const description = within(cell).getByText(LONG_URL);
    expect(name).toHaveAttribute('title', longName);
    expect(name).toHaveStyle({ overflowWrap: 'anywhere' });
    expect(description).toHaveAttribute('title', LONG_URL);
    expect(description).toHaveStyle({ overflowWrap: 'anywhere' });
    expect(description).toHaveAttribute('data-line-clamp', 'true');
  });

  it('wraps the partner name in the key dialog', async () => {
    const longName = `Agent-${'y'.repeat(94)}`;
    const { user } = partnersApp({
      'partners:create': () => ok({ partner: partner({ name: longName }), apiKey: KEY }),
    });
    const form = within(await openNewPartner(user));
    await user.type(form.getByLabelText(/^Name/), 'anything');
    await user.click(form.getByRole('button', { name: 'Create partner' }));
    const keyDialog = await screen.findByRole('dialog', { name: 'Save this key now' });
    expect(within(keyDialog).getByText(longName)).toHaveStyle({ overflowWrap: 'anywhere' });
  });

  it('truncates a long account name in the switcher and keeps it whole in a title', async () => {
    const longName = `Acme ${'production '.repeat(5).trim()}`;
    const fake = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([account({ name: longName })], 'acct_local')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
    });
    renderApp(fake.api);
    const switcher = await screen.findByTestId('account-switcher');
    expect(switcher).toHaveAttribute('title', longName);
    expect(within(switcher).getByTestId('account-switcher-name')).toHaveAttribute('data-truncate', 'end');
  });
});

describe('3. add-account form', () => {
  function addAccountApp(secure: boolean) {
    const local = account();
    const acme = account({ id: 'acct_acme', name: 'Acme', embedded: false, baseUrl: 'https://partners.acme.test' });
    let selected = 'acct_local';
    const fake = fakeApi({
      'vault:status': () => ok({ secure, backend: secure ? 'libsecret' : 'no OS encryption (basic_text)' }),
      'accounts:list': () => ok(accountsState([local], selected)),
      'accounts:add': () => ok(accountsState([local, acme], selected)),
      'accounts:select': ({ accountId }) => {
        selected = accountId;
        return ok(accountsState([local, acme], selected));
      },
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
    });
    return { fake, ...renderApp(fake.api) };
  }

  async function openAddAccount(user: ReturnType<typeof renderApp>['user']) {
    await screen.findByText('No partners yet');
    await user.click(screen.getByTestId('account-switcher'));
    await user.click(await screen.findByRole('menuitem', { name: 'Add account…' }));
    return screen.findByRole('dialog', { name: 'Add account' });
  }

  it('shows every field error at once on a blank submit', async () => {
    const { fake, user } = addAccountApp(false);
    const dialog = within(await openAddAccount(user));
    await user.click(dialog.getByRole('button', { name: 'Add account' }));
    expect(errorOf(dialog.getByLabelText(/^Name/))).toBe('Must not be empty');
    expect(errorOf(dialog.getByLabelText(/^Server URL/))).toBe(
      'Expected an http(s) URL such as https://partners.example.com',
    );
    expect(errorOf(dialog.getByLabelText(/^Admin key/))).toBe('Expected a key starting with sk-ant-admin-');
    expect(dialog.getByText('Tick this box to save the key without OS encryption')).toBeInTheDocument();
    expect(fake.callsTo('accounts:add')).toHaveLength(0);
  });

  it('refuses a URL with credentials and a short admin key, together', async () => {
    const { fake, user } = addAccountApp(true);
    const dialog = within(await openAddAccount(user));
    await user.type(dialog.getByLabelText(/^Name/), 'x'.repeat(61));
    await user.type(dialog.getByLabelText(/^Server URL/), 'https://me:secret@partners.acme.test');
    await user.type(dialog.getByLabelText(/^Admin key/), 'sk-ant-admin-short');
    await user.click(dialog.getByRole('button', { name: 'Add account' }));
    expect(errorOf(dialog.getByLabelText(/^Name/))).toBe('Must be at most 60 characters');
    expect(errorOf(dialog.getByLabelText(/^Server URL/))).toBe(
      'Expected an http(s) URL such as https://partners.example.com',
    );
    expect(errorOf(dialog.getByLabelText(/^Admin key/))).toBe('Is too short to be an admin key');
    expect(fake.callsTo('accounts:add')).toHaveLength(0);
  });

  it('selects the new account and confirms it', async () => {
    const { fake, user } = addAccountApp(true);
    const dialog = within(await openAddAccount(user));
    await user.type(dialog.getByLabelText(/^Name/), 'Acme');
    await user.type(dialog.getByLabelText(/^Server URL/), 'https://partners.acme.test');
    await user.type(dialog.getByLabelText(/^Admin key/), `sk-ant-admin-${'a'.repeat(40)}`);
    await user.click(dialog.getByRole('button', { name: 'Add account' }));
    expect(await screen.findByTestId('notice')).toHaveTextContent('Added Acme. It is now the selected account.');
    expect(fake.callsTo('accounts:select')).toEqual([{ accountId: 'acct_acme' }]);
    await waitFor(() => expect(screen.getByTestId('account-switcher')).toHaveTextContent('Acme'));
    await waitFor(() => expect(fake.callsTo('partners:refresh')).toContainEqual({ accountId: 'acct_acme' }));
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('notice')).not.toBeInTheDocument();
  });

  it('describes where the admin key goes according to the vault', async () => {
    const secure = addAccountApp(true);
    let dialog = within(await openAddAccount(secure.user));
    expect(
      dialog.getByText("Encrypted by your operating system's key store; never shown again after saving."),
    ).toBeInTheDocument();
    expect(dialog.queryByRole('checkbox')).not.toBeInTheDocument();
    secure.unmount();

    const insecure = addAccountApp(false);
    dialog = within(await openAddAccount(insecure.user));
    expect(
      dialog.getByText(
        'This computer has no OS key encryption: the key is saved in a file that anyone who can read your files could read.',
      ),
    ).toBeInTheDocument();
    expect(dialog.getByRole('checkbox', { name: 'I agree to save this key without OS encryption.' })).toBeInTheDocument();
    expect(dialog.queryByText(/key vault/)).not.toBeInTheDocument();
  });
});

describe('4. placeholders in the error state', () => {
  it('keep the normal placeholder colour', async () => {
    const { user } = partnersApp();
    const form = within(await openNewPartner(user));
    await user.click(form.getByRole('button', { name: 'Create partner' }));
    const name = form.getByLabelText(/^Name/);
    expect(name).toHaveAttribute('data-error', 'true');
    expect(name.parentElement?.style.getPropertyValue('--input-placeholder-color')).toBe(
      'var(--mantine-color-placeholder)',
    );
  });
});

describe('5. web host without access', () => {
  it('asks for the tokened address at once when the page has no token', () => {
    expect(needsAccessToken({ location: { search: '', host: 'x' } })).toBe(true);
    expect(needsAccessToken({ location: { search: '?token=', host: 'x' } })).toBe(true);
    expect(needsAccessToken({ location: { search: '?token=abc', host: 'x' } })).toBe(false);
    expect(needsAccessToken({ location: { search: '', host: 'x' }, partnerdesk: fakeApi({}).api })).toBe(false);
    render(<MissingToken env="test" />);
    expect(screen.getByTestId('missing-token')).toHaveTextContent(
      'This page needs its access token. Open the address that npm run web printed (it ends in ?token=…).',
    );
  });

  it('ends a refused connection in an error with "Try again", not an endless spinner', async () => {
    let sockets = 0;
    const api = createApi(
      { location: { search: '?token=wrong', host: '127.0.0.1:1' } },
      {
        reconnectDelaysMs: [200],
        createSocket: () => {
          sockets += 1;
          const socket: WebSocketLike = {
            readyState: 0,
            send: () => {
              throw new Error('not open');
            },
            close: () => undefined,
            onopen: null,
            onclose: null,
            onerror: null,
            onmessage: null,
          };
          // The host answers the handshake with 403: error, then close.
          setTimeout(() => {
            socket.onerror?.({});
            socket.onclose?.({});
          }, 10);
          return socket;
        },
      },
    );
    const user = userEvent.setup({ delay: null });
    render(<Root api={api} env="test" />);
    expect(screen.queryByText('Choose an account')).not.toBeInTheDocument();
    expect(await screen.findByTestId('boot-error', {}, { timeout: 5_000 })).toHaveTextContent(
      "Couldn't connect to the app backend. Check that npm run web is still running and open the exact address it printed (it ends in ?token=…).",
    );
    expect(screen.queryByLabelText('Loading')).not.toBeInTheDocument();
    expect(sockets).toBeGreaterThan(1);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Loading')).toBeInTheDocument();
  });
});

describe('7. modal close buttons', () => {
  it('are named "Close"', async () => {
    const { user } = partnersApp();
    const dialog = await openNewPartner(user);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New partner' })).not.toBeInTheDocument());
  });
});

describe('8. offline notice', () => {
  it('does not claim the saved list is "as of" the last sync', async () => {
    const created = partner({ name: 'Made while the notice was up', created_at: '2026-02-27T09:31:00Z' });
    partnersApp(
      {
        'accounts:list': () => ok(accountsState([account({ name: 'Acme', embedded: false })], 'acct_local')),
        'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: '2026-02-27T09:30:00Z', partners: [created] }),
        'partners:refresh': () => fail({ code: 'offline', message: 'connect ECONNREFUSED' }),
      },
      [],
    );
    expect(await screen.findByTestId('offline-notice')).toHaveTextContent(
      "Can't reach Acme's server. Showing saved partners; last synced Feb 27, 2026, 9:30 AM.",
    );
    expect(offlineMessage('Acme', null, 2)).toBe("Can't reach Acme's server. Showing saved partners; never synced.");
  });
});
