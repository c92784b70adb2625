import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildLambdaBundle, writeLambdaBundle } from '#infra/bundling.ts';

/**
 * A function's code as it ships: esbuild run in this process at synth by infra/bundling.ts's
 * buildLambdaBundle, code splitting included (index.mjs with all the cold-start code, chunks/ for
 * what only import() reaches, a map beside each). NodejsFunction cannot give that: its esbuild CLI
 * call uses --outfile, which cannot split.
 *
 * The asset is hashed on its output, so an unchanged bundle is not uploaded or updated again. With
 * bundling skipped (`aws:cdk:bundling-stacks` empty: template tests), CDK stages nothing and hashes
 * the construct path instead, as it did for NodejsFunction.
 */
export function lambdaCode(projectRoot: string, entry: string): lambda.Code {
  if (!existsSync(join(projectRoot, entry))) throw new Error(`no function entry at ${entry}`);
  return lambda.Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: the local bundling below either bundles or throws (esbuild is a dependency of
      // the repository that synthesizes), so no Docker is needed, online or off.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: new LocalEsbuild(projectRoot, entry),
    },
  });
}

/**
 * Its fields are what CDK's asset cache keys on (it serializes the bundling options): the entry, so
 * that functions do not share one staged bundle. The root stays private, out of that key and out
 * of the placeholder hash of a skipped bundling, which should not depend on where the clone is.
 */
class LocalEsbuild implements ILocalBundling {
  readonly #projectRoot: string;
  readonly entry: string;

  constructor(projectRoot: string, entry: string) {
    this.#projectRoot = projectRoot;
    this.entry = entry;
  }

  tryBundle(outputDir: string): boolean {
    const result = buildLambdaBundle(this.#projectRoot, this.entry);
    writeLambdaBundle(this.#projectRoot, result.outputFiles, outputDir);
    return true;
  }
}
