import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The project's one way in to zod: zod/mini, whose schemas are plain functions that esbuild can
// tree-shake, where classic zod builds every schema as an object carrying ~60 methods (and pulls
// in JSON Schema generation). That is ~75 KB and ~25 ms off each Lambda's cold start. zod/mini
// ships without messages; installing the English locale keeps the problem details readable.
// Import it as `import * as z from '#domain/shared/zod.ts'` (scripts/lint-architecture.ts
// refuses zod imports anywhere else in production code).
config(en());

export * from 'zod/mini';
