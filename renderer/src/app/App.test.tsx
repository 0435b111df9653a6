import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { account, accountsState, deferred, fail, fakeApi, ok, partner } from '../../test/fake-api';
import { renderApp } from '../../test/render';
import { errorOf } from '../../test/field-error';
import type { IpcResult, PartnerListView } from '../../../shared/ipc';

const local = account({ id: 'acct_local', name: 'This computer', embedded: true });
const acme = account({
  id: 'acct_acme',
  name: 'Acme',
  color: 'grape',
  embedded: false,
  baseUrl: 'https://partners.acme.test',
  lastSyncedAt: '2026-02-27T09:30:00Z',
});

function rowNames(): string[] {
  return screen.getAllByTestId('partner-row').map((row) => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}

describe('partners list', () => {
  it('renders the cached list first, then the refreshed one', async () => {
    const refresh = deferred<IpcResult<PartnerListView>>();
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([local], 'acct_local')),
      'partners:cached': ({ accountId }) =>
        ok({ accountId, syncedAt: '2026-03-01T08:00:00Z', partners: [partner({ name: 'Cached agent' })] }),
      'partners:refresh': () => refresh.promise,
    });
    renderApp(api);

    await waitFor(() => expect(rowNames()).toEqual(['Cached agent']));
    expect(screen.getByText('Refreshing…')).toBeInTheDocument();

    refresh.resolve(
      ok({
        accountId: 'acct_local',
        syncedAt: '2026-03-03T12:00:00Z',
        partners: [
          partner({ name: 'Fresh agent', description: 'Runs the nightly report' }),
          partner({ name: 'Cached agent' }),
        ],
      }),
    );
    await waitFor(() => expect(rowNames()).toEqual(['Fresh agentRuns the nightly report', 'Cached agent']));
    expect(screen.queryByText('Refreshing…')).not.toBeInTheDocument();
    expect(screen.getByTestId('partner-count')).toHaveTextContent('2');
  });

  it('formats limits, expiry, status, key hint and dates in each column', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([local], 'acct_local')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) =>
        ok({
          accountId,
          syncedAt: '2026-03-03T12:00:00Z',
          partners: [
            partner({
              name: 'Limited',
              permissions: ['messages:write', 'admin:read'],
              max_tokens_per_month: 1_000_000,
              expires_at: '2020-01-31T23:59:59Z',
              active: false,
              key_hint: '…Zx9q',
              created_at: '2026-03-03T12:00:00Z',
            }),
            partner({ name: 'Open', max_tokens_per_month: null, expires_at: null }),
          ],
        }),
    });
    renderApp(api);

    await waitFor(() => expect(screen.getAllByTestId('partner-row')).toHaveLength(2));
    const [limited, open] = screen.getAllByTestId('partner-row').map((row) => within(row).getAllByRole('cell').map((c) => c.textContent));
    expect(limited).toEqual([
      'Limited',
      'messages:writeadmin:read',
      '1,000,000 tokens',
      'Jan 31, 2020Expired',
      'Suspended',
      '…Zx9q',
      'Mar 3, 2026',
    ]);
    expect(open).toEqual(['Open', 'messages:write', 'Unlimited', 'Never', 'Active', '…a1b2', 'Jan 5, 2026']);
  });

  it('keeps the cached list and says it is offline when the refresh cannot reach the server', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([acme], 'acct_acme')),
      'partners:cached': ({ accountId }) =>
        ok({ accountId, syncedAt: '2026-02-27T09:30:00Z', partners: [partner({ name: 'Billing bot' })] }),
      'partners:refresh': () => fail({ code: 'offline', message: 'connect ECONNREFUSED' }),
    });
    renderApp(api);

    const notice = await screen.findByTestId('offline-notice');
    expect(notice).toHaveTextContent("Can't reach Acme's server. Showing saved partners; last synced Feb 27, 2026, 9:30 AM.");
    expect(rowNames()).toEqual(['Billing bot']);
  });

  it('tries again on demand and drops the notice once the server answers', async () => {
    let reachable = false;
    const fake = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([acme], 'acct_acme')),
      'partners:cached': ({ accountId }) =>
        ok({ accountId, syncedAt: '2026-02-27T09:30:00Z', partners: [partner({ name: 'Billing bot' })] }),
      'partners:refresh': ({ accountId }) =>
        reachable
          ? ok({ accountId, syncedAt: '2026-03-03T12:00:00Z', partners: [partner({ name: 'Billing bot v2' })] })
          : fail({ code: 'offline', message: 'connect ECONNREFUSED' }),
    });
    const { user } = renderApp(fake.api);
    await screen.findByTestId('offline-notice');

    reachable = true;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rowNames()).toEqual(['Billing bot v2']));
    expect(screen.queryByTestId('offline-notice')).not.toBeInTheDocument();
    expect(fake.callsTo('partners:refresh')).toHaveLength(2);
  });

  it('treats a timeout like offline', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([acme], 'acct_acme')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': () => fail({ code: 'timeout', message: 'timed out' }),
    });
    renderApp(api);

    // The cached view was never synced: fall back to the account's own last sync.
    expect(await screen.findByTestId('offline-notice')).toHaveTextContent(
      "Can't reach Acme's server. Showing saved partners; last synced Feb 27, 2026, 9:30 AM.",
    );
  });

  it('shows other refresh errors plainly, without the offline notice', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([acme], 'acct_acme')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [partner({ name: 'Billing bot' })] }),
      'partners:refresh': () =>
        fail({ code: 'unauthorized', message: 'The server rejected the admin key for Acme.', status: 401 }),
    });
    renderApp(api);

    expect(await screen.findByTestId('refresh-error')).toHaveTextContent('The server rejected the admin key for Acme.');
    expect(screen.queryByTestId('offline-notice')).not.toBeInTheDocument();
    expect(rowNames()).toEqual(['Billing bot']);
  });

  it('shows a friendly empty state when an account has no partners', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([local], 'acct_local')),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: '2026-03-03T12:00:00Z', partners: [] }),
    });
    renderApp(api);

    expect(await screen.findByText('No partners yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create your first partner' })).toBeInTheDocument();
    expect(screen.queryByTestId('partners-table')).not.toBeInTheDocument();
  });

  it('shows a skeleton while nothing is known yet', async () => {
    const cached = deferred<IpcResult<PartnerListView>>();
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([local], 'acct_local')),
      'partners:cached': () => cached.promise,
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
    });
    renderApp(api);
    expect(await screen.findByTestId('partners-loading')).toBeInTheDocument();
    cached.resolve(ok({ accountId: 'acct_local', syncedAt: null, partners: [] }));
    await waitFor(() => expect(screen.queryByTestId('partners-loading')).not.toBeInTheDocument());
  });
});

describe('accounts', () => {
  it('switching account selects it and loads its partners', async () => {
    let selected = 'acct_local';
    const fake = fakeApi({
      'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
      'accounts:list': () => ok(accountsState([local, acme], selected)),
      'accounts:select': ({ accountId }) => {
        selected = accountId;
        return ok(accountsState([local, acme], selected));
      },
      'partners:cached': ({ accountId }) =>
        ok({
          accountId,
          syncedAt: null,
          partners: [partner({ name: accountId === 'acct_acme' ? 'Acme support bot' : 'Local script' })],
        }),
      'partners:refresh': ({ accountId }) =>
        ok({
          accountId,
          syncedAt: '2026-03-03T12:00:00Z',
          partners: [partner({ name: accountId === 'acct_acme' ? 'Acme support bot' : 'Local script' })],
        }),
    });
    const { user } = renderApp(fake.api);

    await waitFor(() => expect(rowNames()).toEqual(['Local script']));
    const switcher = screen.getByTestId('account-switcher');
    expect(switcher).toHaveTextContent('This computerLocal');

    await user.click(switcher);
    await user.click(await screen.findByRole('menuitem', { name: 'Acme' }));

    await waitFor(() => expect(rowNames()).toEqual(['Acme support bot']));
    expect(screen.getByTestId('account-switcher')).toHaveTextContent('Acme');
    expect(fake.callsTo('accounts:select')).toEqual([{ accountId: 'acct_acme' }]);
    expect(fake.callsTo('partners:refresh')).toEqual([{ accountId: 'acct_local' }, { accountId: 'acct_acme' }]);
  });

  it('warns plainly when the vault is not encrypted by the OS', async () => {
    const { api } = fakeApi({
      'vault:status': () => ok({ secure: false, backend: 'no OS encryption (basic_text)' }),
      'accounts:list': () => ok(accountsState([], null)),
    });
    renderApp(api);
    expect(await screen.findByText('Keys on this computer are stored without OS encryption')).toBeInTheDocument();
    expect(screen.getByText('Connect a Partners API server')).toBeInTheDocument();
  });

  it('adds an account, asking for consent when the vault is insecure, and shows server errors under their field', async () => {
    const fake = fakeApi({
      'vault:status': () => ok({ secure: false, backend: 'no OS encryption (basic_text)' }),
      'accounts:list': () => ok(accountsState([], null)),
      'accounts:add': (input) =>
        input.baseUrl === 'https://wrong.example.com'
          ? fail({ code: 'invalid_input', field: 'baseUrl', message: 'baseUrl: no Partners API server answered there' })
          : ok(accountsState([acme], null)),
      'accounts:select': ({ accountId }) => ok(accountsState([acme], accountId)),
      'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
      'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [] }),
    });
    const { user } = renderApp(fake.api);

    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add account' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'Acme');
    await user.type(within(dialog).getByLabelText(/^Server URL/), 'https://wrong.example.com');
    await user.type(within(dialog).getByLabelText(/^Admin key/), `sk-ant-admin-${'a'.repeat(40)}`);
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));

    expect(await within(dialog).findByText('Tick this box to save the key without OS encryption')).toBeInTheDocument();
    expect(fake.callsTo('accounts:add')).toHaveLength(0);

    await user.click(within(dialog).getByLabelText('I agree to save this key without OS encryption.'));
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));
    const urlInput = within(dialog).getByLabelText(/^Server URL/);
    await waitFor(() => expect(errorOf(urlInput)).toBe('No Partners API server answered there'));

    await user.clear(urlInput);
    await user.type(urlInput, 'https://partners.acme.test');
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add account' })).not.toBeInTheDocument());
    expect(fake.callsTo('accounts:add').at(-1)).toEqual({
      name: 'Acme',
      baseUrl: 'https://partners.acme.test',
      adminKey: `sk-ant-admin-${'a'.repeat(40)}`,
      allowInsecureStorage: true,
    });
    expect(await screen.findByText('No partners yet')).toBeInTheDocument();
  });
});
