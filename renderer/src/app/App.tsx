import { useEffect } from 'react';
import { Alert, AppShell, Button, Center, Container, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected, IconPlus } from '@tabler/icons-react';
import { useAppStore } from '../state';
import { AccountSwitcher } from '../features/accounts/AccountSwitcher';
import { AddAccountModal } from '../features/accounts/AddAccountModal';
import { VaultBanner } from '../features/accounts/VaultBanner';
import { PartnersPage } from '../features/partners/PartnersPage';

function NoAccounts({ onAdd }: { onAdd: () => void }) {
  return (
    <Stack align="center" gap="xs" py={80}>
      <IconPlugConnected size={44} stroke={1.5} color="var(--mantine-color-dimmed)" aria-hidden />
      <Title order={3}>Connect a Partners API server</Title>
      <Text size="sm" c="dimmed" ta="center" maw={440}>
        Add an account with its server address and an admin key to start handing out partner keys.
      </Text>
      <Button mt="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={onAdd}>
        Add account
      </Button>
    </Stack>
  );
}

function Notice() {
  const notice = useAppStore((s) => s.notice);
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (!notice) return null;
  return (
    <Alert
      color="teal"
      variant="light"
      icon={<IconCircleCheck size={18} aria-hidden />}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={dismiss}
      data-testid="notice"
      role="status"
      style={{ overflowWrap: 'anywhere' }}
    >
      {notice}
    </Alert>
  );
}

function Body({ onAddAccount }: { onAddAccount: () => void }) {
  const boot = useAppStore((s) => s.boot);
  const bootError = useAppStore((s) => s.bootError);
  const init = useAppStore((s) => s.init);
  const account = useAppStore((s) => s.accounts.find((a) => a.id === s.selectedId) ?? null);
  const hasAccounts = useAppStore((s) => s.accounts.length > 0);

  if (boot === 'loading') {
    return (
      <Center py={80}>
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (boot === 'failed') {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title="Couldn't load your accounts">
        <Stack gap="sm" align="flex-start">
          <Text size="sm" data-testid="boot-error">
            {bootError?.message}
          </Text>
          <Button size="xs" variant="light" color="red" onClick={() => void init()}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (!hasAccounts) return <NoAccounts onAdd={onAddAccount} />;
  if (!account) {
    return (
      <Text c="dimmed" ta="center" py={80}>
        Choose an account from the menu at the top right.
      </Text>
    );
  }
  return <PartnersPage key={account.id} account={account} />;
}

export function App() {
  const init = useAppStore((s) => s.init);
  const [addOpened, addAccount] = useDisclosure(false);
  const ready = useAppStore((s) => s.boot === 'ready');

  useEffect(() => {
    void init();
  }, [init]);

  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
          <Title order={3} fw={700}>
            Partnerdesk
          </Title>
          {ready ? <AccountSwitcher onAddAccount={addAccount.open} /> : null}
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl" px={0}>
          <Stack gap="lg">
            <VaultBanner />
            <Notice />
            <Body onAddAccount={addAccount.open} />
          </Stack>
        </Container>
      </AppShell.Main>
      <AddAccountModal opened={addOpened} onClose={addAccount.close} />
    </AppShell>
  );
}
