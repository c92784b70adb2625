import { render } from 'preact';
import { App } from './app/app.tsx';
import { loadConfig } from './config.ts';
import './ui/base.css';

const root = document.getElementById('app')!;
loadConfig().then(
  () => render(<App />, root),
  (error: unknown) => {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The console could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.append(message);
  },
);
