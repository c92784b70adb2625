import { buildApp } from './build-app.ts';

// `cdk synth` / `cdk deploy` entry (cdk.json). The CLI's App synthesizes itself on exit.
buildApp();
