import { systemClock, uuidIds } from '../shared/system.ts';
import { knowledgeHandler } from './knowledge.app.ts';

// Composition root: adapters are built once per cold start.
export const handler = knowledgeHandler({ clock: systemClock, ids: uuidIds });
