import { type ClusterUseCases, clusterUseCases } from '#domain/analytics/clusters.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import type { AnalyticsInfra } from './analytics.composition.ts';
import { dynamoSegmentationStore } from './segmentation.dynamodb.ts';

// The clusters part of the analytics function (issue 13): GET /analytics/clusters (keys:
// "METHOD /path" of ANALYTICS_CLUSTER_ROUTES). The fit job writes what it reads.

export interface ClusterPorts {
  readonly clusters: ClusterUseCases;
}

export const clusterPortsFor = (infra: AnalyticsInfra): ClusterPorts => ({ clusters: clusterUseCases({ segmentation: dynamoSegmentationStore(infra) }) });

const getClusters: RouteHandler<ClusterPorts> = async (_request, app) => json(200, await app.clusters.clusters());

export const clusterHandlers: Record<string, RouteHandler<ClusterPorts>> = {
  'GET /analytics/clusters': getClusters,
};
