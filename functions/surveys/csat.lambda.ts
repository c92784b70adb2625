import { systemClock, uuidIds } from '../shared/system.ts';
import { csatHandler } from './csat.app.ts';

// Composition root: adapters are built once per cold start.
export const handler = csatHandler({ clock: systemClock, ids: uuidIds });
