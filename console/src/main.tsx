import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

// Served at / as well as /console/: move to /console/ so relative links and reloads agree.
if (!window.location.pathname.startsWith('/console')) window.history.replaceState(null, '', '/console/');

render(<App />, document.getElementById('app')!);
