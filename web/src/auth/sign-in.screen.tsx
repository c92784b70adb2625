import { config } from '../config.ts';
import { CognitoSignInScreen } from './cognito-sign-in.screen.tsx';
import { LocalSignInScreen } from './local-sign-in.screen.tsx';

/** Sign-in for the configured issuer: the local issuer under `npm start`, Cognito on AWS (webinfra). */
export function SignInScreen() {
  const { auth } = config();
  if (auth.kind === 'local') return <LocalSignInScreen />;
  return <CognitoSignInScreen auth={auth} />;
}
