// Bundled in place of @aws-sdk/lib-dynamodb's index (esbuild alias, infra/bundling.ts): the same
// exports, from the same files. The package does not declare itself free of side effects, and its
// two paginators are built at import (`createPaginator(...)` at module scope), so a bundle of the
// index keeps them, and through them the Query and Scan commands and their serializers, whether
// or not anything pages: ~2 KB of every function's cold start (more when nothing else sends a
// Query). Here they are built under a pure annotation, so a bundle that never names them drops them.
// Tests and the local runtime load the package itself; test/infra/lib-dynamodb-index.test.ts
// requires this module to export every name the package does.
import { createPaginator } from '@smithy/core';
import { QueryCommand } from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/QueryCommand.js';
import { ScanCommand } from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/ScanCommand.js';
import { DynamoDBDocumentClient } from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocumentClient.js';

export * from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocument.js';
export * from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocumentClient.js';
export * from '../../node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/index.js';
export { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';

// As dist-es/pagination/QueryPaginator.js and ScanPaginator.js build them.
export const paginateQuery = /* @__PURE__ */ createPaginator(DynamoDBDocumentClient, QueryCommand, 'ExclusiveStartKey', 'LastEvaluatedKey', 'Limit');
export const paginateScan = /* @__PURE__ */ createPaginator(DynamoDBDocumentClient, ScanCommand, 'ExclusiveStartKey', 'LastEvaluatedKey', 'Limit');
