import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/docs/openapi.ts';

// CI lints the document GET /openapi.json serves with the two linters API teams use most. Errors
// fail the build; warnings (a contact, a licence, a description besides every summary) do not.

const source = JSON.stringify(openApiDocument(), null, 2);

describe('the OpenAPI document under the common linters', () => {
  it("passes Redocly's recommended rules with no error", async () => {
    const problems = await lintFromString({ source, absoluteRef: '/openapi.json', config: await createConfig({ extends: ['recommended'] }) });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it("passes Spectral's spectral:oas ruleset with no error", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(source, Parsers.Json, '/openapi.json'));
    const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`);
    expect(errors).toEqual([]);
  });
});
