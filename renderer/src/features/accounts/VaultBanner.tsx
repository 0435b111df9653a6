import { Alert, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { useAppStore } from '../../state';

/** Said once, plainly: secrets on this machine are not encrypted by the OS. */
export function VaultBanner() {
  const vault = useAppStore((s) => s.vault);
  if (!vault || vault.secure) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconLockOpen size={18} aria-hidden />}
      title="Keys on this computer are stored without OS encryption"
      data-testid="vault-insecure"
    >
      <Text size="sm">
        Storage here: {vault.backend}. Anyone who can read your files could read the admin keys saved on this
        computer, so you will be asked before a key for another server is saved.
      </Text>
    </Alert>
  );
}
