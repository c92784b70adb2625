import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// The alternative: Powertools' Metrics, built at module scope as its documentation shows.
const metrics = new Metrics({ namespace: 'eCRM', serviceName: 'bench' });

export const handler = async () => {
  metrics.addDimension('context', 'bench');
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
};
