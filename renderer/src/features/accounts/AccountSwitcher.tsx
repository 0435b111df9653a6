import { Badge, Button, Group, Menu, Text } from '@mantine/core';
import { IconCheck, IconChevronDown, IconPlus } from '@tabler/icons-react';
import { useAppStore } from '../../state';
import { AccountDot } from './AccountDot';

/** Marks the embedded server, whatever the user renamed its account to. */
function ThisComputerBadge() {
  return (
    <Badge size="xs" variant="light" color="gray" radius="sm" tt="none" style={{ flexShrink: 0 }}>
      Local
    </Badge>
  );
}

/** Header menu: the current account, every other account, and "Add account…". */
export function AccountSwitcher({ onAddAccount }: { onAddAccount: () => void }) {
  const accounts = useAppStore((s) => s.accounts);
  const selectedId = useAppStore((s) => s.selectedId);
  const selectAccount = useAppStore((s) => s.selectAccount);
  const current = accounts.find((a) => a.id === selectedId) ?? null;

  return (
    <Menu position="bottom-end" width={300} shadow="md">
      <Menu.Target>
        <Button
          variant="default"
          data-testid="account-switcher"
          maw={360}
          title={current?.name}
          leftSection={current ? <AccountDot color={current.color} /> : null}
          rightSection={<IconChevronDown size={14} aria-hidden />}
        >
          <Group gap={8} wrap="nowrap" miw={0}>
            <Text span size="sm" fw={600} truncate="end" miw={0} data-testid="account-switcher-name">
              {current ? current.name : 'Choose an account'}
            </Text>
            {current?.embedded ? <ThisComputerBadge /> : null}
          </Group>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Accounts</Menu.Label>
        {accounts.map((account) => (
          <Menu.Item
            key={account.id}
            // Let a long name shrink to an ellipsis instead of spilling out of the menu.
            styles={{ itemLabel: { minWidth: 0, overflow: 'hidden' } }}
            leftSection={<AccountDot color={account.color} />}
            rightSection={account.id === selectedId ? <IconCheck size={14} aria-label="Selected" /> : null}
            onClick={() => {
              if (account.id !== selectedId) void selectAccount(account.id);
            }}
          >
            <Group gap={8} wrap="nowrap" miw={0}>
              <Text size="sm" truncate title={account.name} style={{ flex: 1, minWidth: 0 }}>
                {account.name}
              </Text>
              {account.embedded ? <ThisComputerBadge /> : null}
            </Group>
          </Menu.Item>
        ))}
        {accounts.length > 0 ? <Menu.Divider /> : null}
        <Menu.Item leftSection={<IconPlus size={14} aria-hidden />} onClick={onAddAccount}>
          Add account…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
