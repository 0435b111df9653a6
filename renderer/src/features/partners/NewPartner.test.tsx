import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { account, accountsState, fail, fakeApi, ok, partner } from '../../../test/fake-api';
import { renderApp } from '../../../test/render';
import { errorOf } from '../../../test/field-error';
import type { Partner } from '../../../../shared/api';

const KEY = `sk-ant-partner-${'Ab3'.repeat(14)}X`;

function setup(create?: Parameters<typeof fakeApi>[0]['partners:create']) {
  const existing = partner({ name: 'Existing agent' });
  const fake = fakeApi({
    'vault:status': () => ok({ secure: true, backend: 'libsecret' }),
    'accounts:list': () => ok(accountsState([account()], 'acct_local')),
    'partners:cached': ({ accountId }) => ok({ accountId, syncedAt: null, partners: [existing] }),
    'partners:refresh': ({ accountId }) => ok({ accountId, syncedAt: '2026-03-03T12:00:00Z', partners: [existing] }),
    'partners:create': create ?? (() => fail({ code: 'internal', message: 'unexpected' })),
  });
  const rendered = renderApp(fake.api);
  return { fake, ...rendered };
}

async function openForm(user: ReturnType<typeof setup>['user']) {
  await screen.findAllByTestId('partner-row');
  await user.click(screen.getByTestId('new-partner-button'));
  return screen.findByRole('dialog', { name: 'New partner' });
}

describe('new partner form', () => {
  it('shows each validation error under its own field and sends nothing', async () => {
    const { fake, user } = setup();
    const dialog = await openForm(user);
    const form = within(dialog);

    await user.click(form.getByLabelText('Send messages')); // untick the default scope: none left
    await user.type(form.getByLabelText('Monthly token limit'), '0');
    fireEvent.change(form.getByLabelText('Expires'), { target: { value: '2020-01-01T10:00' } });
    await user.click(form.getByRole('button', { name: 'Create partner' }));

    expect(errorOf(form.getByLabelText(/^Name/))).toBe('Must not be empty');
    expect(form.getByText('Must hold at least one scope')).toBeInTheDocument();
    expect(errorOf(form.getByRole('group', { name: /^Scopes/ }))).toBe('Must hold at least one scope');
    expect(errorOf(form.getByLabelText('Monthly token limit'))).toBe(
      'Enter a whole number from 1 to 1,000,000,000,000, or leave it empty for no limit',
    );
    expect(errorOf(form.getByLabelText('Expires'))).toBe('Must be in the future');
    expect(errorOf(form.getByLabelText('Requests per minute'))).toBeNull();
    expect(fake.callsTo('partners:create')).toHaveLength(0);
  });

  it('shows a server invalid_input error under the field it names', async () => {
    const { user } = setup(() =>
      fail({
        code: 'invalid_input',
        field: 'partner.permissions[1]',
        message: 'partner.permissions[1]: you cannot grant admin:write',
      }),
    );
    const dialog = await openForm(user);
    const form = within(dialog);
    await user.type(form.getByLabelText(/^Name/), 'Ops agent');
    await user.click(form.getByLabelText('Manage partners'));
    await user.click(form.getByRole('button', { name: 'Create partner' }));

    await waitFor(() =>
      expect(errorOf(form.getByRole('group', { name: /^Scopes/ }))).toBe('You cannot grant admin:write'),
    );
    expect(screen.getByRole('dialog', { name: 'New partner' })).toBeInTheDocument();
  });

  it('shows other server errors above the buttons', async () => {
    const { user } = setup(() => fail({ code: 'offline', message: "Can't reach This computer's server." }));
    const dialog = await openForm(user);
    await user.type(within(dialog).getByLabelText(/^Name/), 'Ops agent');
    await user.click(within(dialog).getByRole('button', { name: 'Create partner' }));
    expect(await within(dialog).findByTestId('form-error')).toHaveTextContent("Can't reach This computer's server.");
  });

  it('creates the partner, shows its key once, and forgets the key when closed', async () => {
    let created: Partner | null = null;
    const { fake, user } = setup(({ partner: body }) => {
      created = partner({
        name: String(body.name),
        description: (body.description as string | undefined) ?? null,
        permissions: body.permissions as string[],
        max_tokens_per_month: body.max_tokens_per_month as number | null,
        key_hint: '…Ab3X',
      });
      return ok({ partner: created, apiKey: KEY });
    });
    // After userEvent.setup(), which installs its own clipboard.
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const dialog = await openForm(user);
    const form = within(dialog);
    await user.type(form.getByLabelText(/^Name/), 'Report agent');
    await user.type(form.getByLabelText('Description'), 'Writes the nightly report');
    await user.click(form.getByLabelText('Read its own request history'));
    await user.type(form.getByLabelText('Monthly token limit'), '1000000');
    await user.type(form.getByLabelText('Requests per minute'), '60');
    fireEvent.change(form.getByLabelText('Expires'), { target: { value: '2099-12-31T23:30' } });
    await user.click(form.getByRole('button', { name: 'Create partner' }));

    const keyDialog = await screen.findByRole('dialog', { name: 'Save this key now' });
    expect(screen.queryByRole('dialog', { name: 'New partner' })).not.toBeInTheDocument();
    expect(within(keyDialog).getByTestId('new-partner-key')).toHaveTextContent(KEY);
    expect(within(keyDialog).getByText("This key won't be shown again.")).toBeInTheDocument();
    expect(fake.callsTo('partners:create')).toEqual([
      {
        accountId: 'acct_local',
        partner: {
          name: 'Report agent',
          description: 'Writes the nightly report',
          permissions: ['messages:write', 'messages:read'],
          max_tokens_per_month: 1000000,
          requests_per_minute: 60,
          // datetime-local is local time; the tests run in UTC.
          expires_at: '2099-12-31T23:30:00.000Z',
        },
      },
    ]);

    await user.click(within(keyDialog).getByRole('button', { name: 'Copy key' }));
    expect(writeText).toHaveBeenCalledWith(KEY);
    expect(await within(keyDialog).findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    // The list shows the new partner, newest first.
    const rows = screen.getAllByTestId('partner-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual([
      'Report agentWrites the nightly report',
      'Existing agent',
    ]);

    await user.click(within(keyDialog).getByRole('button', { name: "I've saved the key" }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Save this key now' })).not.toBeInTheDocument());
    expect(screen.queryByTestId('new-partner-key')).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(KEY);
  });

  it('keeps the key dialog open on Escape and outside clicks; only "I\'ve saved the key" closes it', async () => {
    const { user } = setup(({ partner: body }) =>
      ok({ partner: partner({ name: String(body.name) }), apiKey: KEY }),
    );
    const dialog = await openForm(user);
    await user.type(within(dialog).getByLabelText(/^Name/), 'Quick');
    await user.click(within(dialog).getByRole('button', { name: 'Create partner' }));
    const keyDialog = await screen.findByRole('dialog', { name: 'Save this key now' });
    expect(within(keyDialog).queryByRole('button', { name: 'Close' })).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    const overlay = document.querySelector('.mantine-Modal-overlay');
    if (overlay) await user.click(overlay);
    expect(screen.getByRole('dialog', { name: 'Save this key now' })).toBeInTheDocument();
    expect(within(keyDialog).getByTestId('new-partner-key')).toHaveTextContent(KEY);
    expect(within(keyDialog).getByRole('button', { name: 'Copy key' })).toBeInTheDocument();

    await user.click(within(keyDialog).getByRole('button', { name: "I've saved the key" }));
    await waitFor(() => expect(keyDialog).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain(KEY);
  });
});
