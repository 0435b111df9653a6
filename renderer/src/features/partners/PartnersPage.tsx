import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconCloudOff, IconKeyOff, IconPlus, IconUsers } from '@tabler/icons-react';
import type { AccountSummary, IpcError } from '../../../../shared/ipc';
import { useAppStore, type PartnerListState } from '../../state';
import { formatDateTime } from '../../lib/format';
import { NewKeyModal } from './NewKeyModal';
import { NewPartnerModal } from './NewPartnerModal';
import { PartnersTable } from './PartnersTable';

const UNREACHABLE: ReadonlySet<IpcError['code']> = new Set(['offline', 'timeout']);

/**
 * "Can't reach Acme's server. Showing saved partners; last synced Mar 3, 2026, 2:05 PM."
 * The saved list may hold partners created after that sync, so it is not "as of" that time.
 */
export function offlineMessage(accountName: string, syncedAt: string | null, savedCount: number): string {
  const reach = `Can't reach ${accountName}'s server.`;
  if (syncedAt) return `${reach} Showing saved partners; last synced ${formatDateTime(syncedAt)}.`;
  return savedCount > 0
    ? `${reach} Showing saved partners; never synced.`
    : `${reach} Partners have never been synced from it, so there is nothing saved to show yet.`;
}

function RefreshProblem({ account, list }: { account: AccountSummary; list: PartnerListState }) {
  const loadPartners = useAppStore((s) => s.loadPartners);
  const error = list.refreshError;
  if (!error) return null;
  const retry = (
    <Button
      size="xs"
      variant="default"
      loading={list.phase !== 'ready'}
      onClick={() => void loadPartners(account.id)}
    >
      Try again
    </Button>
  );
  if (UNREACHABLE.has(error.code)) {
    const syncedAt = list.view?.syncedAt ?? account.lastSyncedAt;
    return (
      <Alert color="gray" variant="light" icon={<IconCloudOff size={18} aria-hidden />} title="Offline">
        <Group justify="space-between" align="center" gap="md" wrap="nowrap">
          <Text size="sm" data-testid="offline-notice" style={{ overflowWrap: 'anywhere' }}>
            {offlineMessage(account.name, syncedAt, list.view?.partners.length ?? 0)}
          </Text>
          {retry}
        </Group>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
      <Group justify="space-between" align="center" gap="md" wrap="nowrap">
        <Text size="sm" data-testid="refresh-error" style={{ overflowWrap: 'anywhere' }}>
          {error.message}
        </Text>
        {retry}
      </Group>
    </Alert>
  );
}

function LoadingRows() {
  return (
    <Stack gap="sm" aria-busy="true" aria-label="Loading partners" data-testid="partners-loading">
      <Skeleton height={36} />
      {[0, 1, 2, 3, 4].map((i) => (
        <Skeleton key={i} height={48} />
      ))}
    </Stack>
  );
}

function EmptyPartners({ onCreate }: { onCreate: () => void }) {
  return (
    <Stack align="center" gap="xs" py={56} data-testid="partners-empty">
      <IconUsers size={40} stroke={1.5} color="var(--mantine-color-dimmed)" aria-hidden />
      <Text fw={600}>No partners yet</Text>
      <Text size="sm" c="dimmed" ta="center" maw={420}>
        A partner is an app, agent or person with its own key, scopes and monthly limit. Create one to hand out access.
      </Text>
      <Button mt="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={onCreate}>
        Create your first partner
      </Button>
    </Stack>
  );
}

export function PartnersPage({ account }: { account: AccountSummary }) {
  const list = useAppStore((s) => s.lists[account.id]);
  const [formOpened, form] = useDisclosure(false);
  const partners = list?.view?.partners ?? [];
  const showSkeleton = !list?.view && list?.phase !== 'ready';

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Group gap="sm" align="center">
          <Title order={2}>Partners</Title>
          {list?.view ? (
            <Badge variant="light" color="gray" size="lg" radius="sm" data-testid="partner-count">
              {partners.length}
            </Badge>
          ) : null}
          {list?.phase === 'refreshing' && list.view ? (
            <Text size="xs" c="dimmed">
              Refreshing…
            </Text>
          ) : null}
        </Group>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={form.open} data-testid="new-partner-button">
          New partner
        </Button>
      </Group>

      {!account.keyUsable ? (
        <Alert color="orange" variant="light" icon={<IconKeyOff size={18} aria-hidden />} title="This account needs its key again" style={{ overflowWrap: 'anywhere' }}>
          The admin key saved for {account.name} can&apos;t be read on this computer. Its saved partners stay browsable.
        </Alert>
      ) : null}

      {list ? <RefreshProblem account={account} list={list} /> : null}

      <Paper withBorder radius="md" p={showSkeleton || partners.length === 0 ? 'md' : 0}>
        {showSkeleton ? (
          <LoadingRows />
        ) : partners.length === 0 ? (
          <EmptyPartners onCreate={form.open} />
        ) : (
          <PartnersTable partners={partners} />
        )}
      </Paper>

      <NewPartnerModal key={account.id} accountId={account.id} opened={formOpened} onClose={form.close} />
      <NewKeyModal />
    </Stack>
  );
}
