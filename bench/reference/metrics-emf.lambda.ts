import { recordMetrics } from '#functions/shared/metrics.ts';

// The hand-written EMF writer every function carries (functions/shared/metrics.ts).
export const handler = async () => recordMetrics({ context: 'bench' }, [{ name: 'Requests', value: 1 }]);
