import { notBuiltConsumer } from '../shared/not-built.ts';

export const handler = notBuiltConsumer('scheduledErasure');
