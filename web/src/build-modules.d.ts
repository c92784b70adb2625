// Modules the build provides: the generated request validators and bundled stylesheets.
// The module web/build.ts generates from the OpenAPI document (web/build/request-validators.ts).
declare module 'virtual:request-validators' {
  export interface ValidationError {
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, unknown>;
  }
  export interface RequestValidator {
    (body: unknown): boolean;
    errors?: ValidationError[] | null;
  }
  /** "<METHOD> <path template>" -> operationId, for every operation with a JSON body. */
  export const operations: Record<string, string>;
  const validators: Record<string, RequestValidator>;
  export default validators;
}

// esbuild bundles imported CSS into the entry's stylesheet.
declare module '*.css' {}
