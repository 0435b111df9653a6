import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PartnerdeskApi } from '../../shared/ipc';
import { Root } from '../src/app/Root';

export function renderApp(api: PartnerdeskApi) {
  const user = userEvent.setup({ delay: null });
  const result = render(<Root api={api} env="test" />);
  return { user, ...result };
}
