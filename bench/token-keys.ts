import { COLD_IMPORT_TARGET_MS, coldImportTimes } from './cold-start.ts';
import type { Section } from './context.ts';
import { heading, ms, table } from './report.ts';
import { type Summary, summarize } from './stats.ts';

// Issue 14: what reading the link-token keys from SSM costs a token function's cold start, as the
// import of the SSM client: the document-client yardstick alone against the same plus the client.

export function tokenKeysColdImportSection(runs = 20): Section {
  return async (context) => {
    heading(`Cold import: the SSM client for the token keys, median of ${runs} fresh processes`);
    const env = { TABLE_NAME: 'bench', AWS_REGION: 'us-east-1' };
    const [without, withSsm] = await Promise.all([context.bundleEntry('bench/reference/document-client.lambda.ts'), context.bundleEntry('bench/reference/ssm-token-keys.lambda.ts')]);
    const times = await coldImportTimes(
      context.root,
      [
        { bundlePath: without.path, env },
        { bundlePath: withSsm.path, env },
      ],
      runs,
    );
    const [base, ssm] = times.samples.map(summarize) as [Summary, Summary];
    const added = ssm.median - base.median;
    console.log(`  node ${times.nodeVersion}; the two take turns; bundles ${Math.round(without.bytes / 1024)} KB and ${Math.round(withSsm.bytes / 1024)} KB`);
    table([
      ['', 'median', 'p90', 'min'],
      ['DynamoDB document client alone', ms(base.median), ms(base.p90), ms(base.min)],
      ['+ SSM client and token-keys adapter', ms(ssm.median), ms(ssm.p90), ms(ssm.min)],
    ]);
    return [
      { section: 'token keys', figure: 'SSM client cold import added (median difference)', value: ms(added) },
      { section: 'token keys', figure: 'document client + SSM client, median', value: ms(ssm.median), target: `<= ${COLD_IMPORT_TARGET_MS} ms (the functions' cold-import target)`, pass: ssm.median <= COLD_IMPORT_TARGET_MS },
      { section: 'token keys', figure: 'bundle size added by the SSM client', value: `${Math.round((withSsm.bytes - without.bytes) / 1024)} KB` },
    ];
  };
}
