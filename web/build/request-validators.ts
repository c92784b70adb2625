import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { _ } from 'ajv';
import { openApiDocument } from '../../functions/docs/openapi.ts';

// The console's form rules are the API's own: every JSON request body schema of the OpenAPI
// document, compiled by Ajv into standalone validators at build time (no schema compiler and no
// `new Function` in the browser, so a strict CSP holds). The module is virtual: web/build.ts and
// the web unit tests both get its source from here, so nothing generated is ever checked in.

type Json = Record<string, any>;

/** The import specifier web/src/forms/validate.ts reads the validators from. */
export const REQUEST_VALIDATORS_MODULE = 'virtual:request-validators';

const DOCUMENT_ID = 'urn:ecrm:openapi';
const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Each operation with a JSON request body: operationId, method, path template and schema pointer. */
export function requestBodyOperations(document: Json = openApiDocument()) {
  const found: { operationId: string; method: string; path: string; pointer: string }[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation?.requestBody?.content?.['application/json']) continue;
      found.push({
        operationId: operation.operationId as string,
        method: method.toUpperCase(),
        path,
        pointer: `/paths/${escape(path)}/${method}/requestBody/content/application~1json/schema`,
      });
    }
  }
  return found;
}

/**
 * ESM source: `export const <operationId> = validate…` for each JSON body, the same as the default
 * export's properties, and `export const operations = { "<METHOD> <path>": "<operationId>", … }`.
 */
export function requestValidatorsSource(document: Json = openApiDocument()): string {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateFormats: true,
    code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const operations = requestBodyOperations(document);
  const exports: Record<string, string> = {};
  for (const op of operations) {
    ajv.addSchema({ $ref: `${DOCUMENT_ID}#${op.pointer}` }, `body:${op.operationId}`);
    exports[op.operationId] = `body:${op.operationId}`;
  }
  const code = standaloneCode.default(ajv, exports);
  const index = Object.fromEntries(operations.map((op) => [`${op.method} ${op.path}`, op.operationId]));
  const all = operations.map((op) => op.operationId).join(', ');
  return `${code}\nexport const operations = ${JSON.stringify(index)};\nexport default { ${all} };\n`;
}
