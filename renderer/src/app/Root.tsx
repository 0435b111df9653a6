import { useState } from 'react';
import { MantineProvider } from '@mantine/core';
import type { PartnerdeskApi } from '../../../shared/ipc';
import { createAppStore, StoreProvider } from '../state';
import { App } from './App';
import { theme } from './theme';

interface Props {
  api: PartnerdeskApi;
  /** 'test' turns off transitions and portals (component tests). */
  env?: 'default' | 'test';
}

export function Root({ api, env = 'default' }: Props) {
  const [store] = useState(() => createAppStore(api));
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" env={env}>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </MantineProvider>
  );
}
