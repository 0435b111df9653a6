import { Badge, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { Partner } from '../../../../shared/api';
import { SCOPE_LABELS, isScope } from '../../../../shared/api';
import { formatDate, formatTokenLimit, isPast } from '../../lib/format';

/**
 * Long unbroken names and descriptions (a pasted URL) break anywhere instead of widening the
 * table; the clamped text keeps its full value in the title.
 */
const WRAP_ANYWHERE = { overflowWrap: 'anywhere' } as const;

function Scopes({ permissions }: { permissions: string[] }) {
  return (
    <Group gap={4}>
      {permissions.map((scope) => (
        <Tooltip key={scope} label={isScope(scope) ? SCOPE_LABELS[scope] : scope} withinPortal>
          <Badge variant="light" color="gray" radius="sm" tt="none" fw={500}>
            {scope}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

function Expiry({ expiresAt, now }: { expiresAt: string | null; now: Date }) {
  if (!expiresAt) return <Text size="sm" c="dimmed">Never</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDate(expiresAt)}</Text>
      {isPast(expiresAt, now) ? (
        <Badge color="red" variant="light" size="sm">
          Expired
        </Badge>
      ) : null}
    </Group>
  );
}

function Status({ active }: { active: boolean }) {
  return active ? (
    <Badge color="green" variant="dot">
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="dot">
      Suspended
    </Badge>
  );
}

export function PartnersTable({ partners, now = new Date() }: { partners: Partner[]; now?: Date }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table data-testid="partners-table" verticalSpacing="sm" highlightOnHover striped={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="26%">Partner</Table.Th>
            <Table.Th w="22%">Scopes</Table.Th>
            <Table.Th ta="right">Monthly limit</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.map((p) => (
            <Table.Tr key={p.id} data-testid="partner-row">
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm" fw={600} lineClamp={2} title={p.name} style={WRAP_ANYWHERE}>
                    {p.name}
                  </Text>
                  {p.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2} title={p.description} style={WRAP_ANYWHERE}>
                      {p.description}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Scopes permissions={p.permissions} />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                <Text size="sm">{formatTokenLimit(p.max_tokens_per_month)}</Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Expiry expiresAt={p.expires_at} now={now} />
              </Table.Td>
              <Table.Td>
                <Status active={p.active} />
              </Table.Td>
              <Table.Td>
                <Code>{p.key_hint}</Code>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatDate(p.created_at)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
