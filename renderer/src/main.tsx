import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi, needsAccessToken } from './api';
import { MissingToken } from './app/MissingToken';
import { Root } from './app/Root';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>{needsAccessToken() ? <MissingToken /> : <Root api={createApi()} />}</StrictMode>,
);
