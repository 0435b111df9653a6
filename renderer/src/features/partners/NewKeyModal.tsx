import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useAppStore, type RevealedKey } from '../../state';

function KeyBody({ revealed, onDone }: { revealed: RevealedKey; onDone: () => void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(revealed.apiKey);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <Stack gap="md">
      <Text size="sm">
        Here is the key for <strong style={{ overflowWrap: 'anywhere' }}>{revealed.partnerName}</strong>. Hand it to the partner through a channel you trust.
      </Text>
      <Code block data-testid="new-partner-key" fz="sm" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {revealed.apiKey}
      </Code>
      <Alert color="yellow" variant="light" icon={<IconKey size={18} aria-hidden />}>
        This key won&apos;t be shown again.
      </Alert>
      {copy === 'failed' ? (
        <Text size="sm" c="red">
          Couldn&apos;t copy to the clipboard. Select the key and copy it by hand.
        </Text>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button
          variant="light"
          color={copy === 'copied' ? 'teal' : undefined}
          leftSection={copy === 'copied' ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          onClick={() => void copyKey()}
        >
          {copy === 'copied' ? 'Copied' : 'Copy key'}
        </Button>
        <Button onClick={onDone}>I&apos;ve saved the key</Button>
      </Group>
    </Stack>
  );
}

const stayOpen = () => undefined;

/**
 * Shows a new key exactly once. It closes only through "I've saved the key" (no Escape, no
 * outside click, no X): one stray keypress must not lose the key. Closing clears it from the
 * store, so it leaves the DOM too.
 */
export function NewKeyModal() {
  const revealed = useAppStore((s) => s.revealedKey);
  const clear = useAppStore((s) => s.clearRevealedKey);
  return (
    <Modal
      opened={revealed !== null}
      onClose={stayOpen}
      title="Save this key now"
      size="lg"
      closeOnEscape={false}
      closeOnClickOutside={false}
      withCloseButton={false}
    >
      {revealed ? <KeyBody key={revealed.apiKey} revealed={revealed} onDone={clear} /> : null}
    </Modal>
  );
}
