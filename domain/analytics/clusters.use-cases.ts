import { ModelNotFittedError } from './clv-fit.use-cases.ts';
import { clustersView, type SegmentationStore } from './customer-segments.ts';
import type { CustomerClusters } from './segmentation.schema.ts';

// The clusters of the last successful fit, as marketers build segments on them.

export function clusterUseCases(deps: { readonly segmentation: SegmentationStore }) {
  return {
    async clusters(): Promise<CustomerClusters> {
      const found = await deps.segmentation.current();
      if (!found) throw new ModelNotFittedError();
      return clustersView(found);
    },
  };
}

export type ClusterUseCases = ReturnType<typeof clusterUseCases>;
