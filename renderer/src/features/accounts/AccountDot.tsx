import { ColorSwatch } from '@mantine/core';
import type { AccountColor } from '../../../../shared/ipc';

export function AccountDot({ color }: { color: AccountColor }) {
  return <ColorSwatch component="span" color={`var(--mantine-color-${color}-6)`} size={10} withShadow={false} aria-hidden />;
}
