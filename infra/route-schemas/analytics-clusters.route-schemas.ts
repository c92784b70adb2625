import { CustomerClusters } from '#domain/analytics/segmentation.schema.ts';
import type { ANALYTICS_CLUSTER_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ANALYTICS_CLUSTER_ROUTES)[number]['operationId'];

/** The clusters route's schemas (issue 13). */
export const ANALYTICS_CLUSTER_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  getCustomerClusters: {
    summary: "The last fit's customer clusters (k-means on standardised recency, frequency, monetary and interaction mix): each one's size and centroid in original units",
    responses: { 200: { description: 'The clusters', schema: CustomerClusters }, 404: { description: 'No fit yet (model-not-fitted)' } },
  },
};
