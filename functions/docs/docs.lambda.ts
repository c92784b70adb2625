import { docsHandler } from './docs.app.ts';

export const handler = docsHandler();
