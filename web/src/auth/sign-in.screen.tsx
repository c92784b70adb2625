import { config } from '../config.ts';
import { LocalSignInScreen } from './local-sign-in.screen.tsx';

/** Sign-in for the configured issuer: the local issuer under `npm start`, Cognito on AWS (webinfra). */
export function SignInScreen() {
  const { auth } = config();
  if (auth.kind === 'local') return <LocalSignInScreen />;
  return (
    <main id="main" class="sign-in">
      <h1>Sign in</h1>
      <p role="alert">Cognito sign-in is not part of this build.</p>
    </main>
  );
}
