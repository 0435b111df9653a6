import { createTheme, Input, Modal } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Code", "JetBrains Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    // Mantine paints placeholders red in the error state, where they read like typed values.
    // Keep them the normal placeholder colour; the red border and message mark the error.
    Input: Input.extend({
      styles: { wrapper: { '--input-placeholder-color': 'var(--mantine-color-placeholder)' } },
    }),
    // The X has no text of its own: name it for screen readers.
    Modal: Modal.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' } },
    }),
  },
});
