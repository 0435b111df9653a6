import { Center, Code, MantineProvider, Paper, Stack, Text, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { theme } from './theme';

/** The whole page when the web host's address was opened without its token. */
export function MissingToken({ env = 'default' }: { env?: 'default' | 'test' }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" env={env}>
      <Center mih="100vh" p="lg">
        <Paper withBorder radius="md" p="xl" maw={560} data-testid="missing-token">
          <Stack gap="sm" align="flex-start">
            <IconLock size={32} stroke={1.5} color="var(--mantine-color-dimmed)" aria-hidden />
            <Title order={2}>Partnerdesk</Title>
            <Text>
              This page needs its access token. Open the address that <Code style={{ whiteSpace: 'nowrap' }}>npm run web</Code> printed (it ends in
              ?token=…).
            </Text>
          </Stack>
        </Paper>
      </Center>
    </MantineProvider>
  );
}
