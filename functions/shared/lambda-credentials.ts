// Bundled in place of @aws-sdk/credential-provider-node (esbuild alias in infra/bundling.ts).
// Lambda hands the function its role's credentials in environment variables; the SDK's default
// chain (SSO, STS, ini files, IMDS, process) only adds weight and cold-start time there.
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
