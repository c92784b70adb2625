import type * as z from '#domain/shared/zod.ts';
import { type FieldIssue, ValidationError } from '#domain/shared/errors.ts';

/** Parses with zod and turns failures into a ValidationError naming each field path. */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  what: string,
  readOnly: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(`The ${what} is invalid.`, toIssues(result.error, readOnly));
}

export function toIssues(error: z.core.$ZodError, readOnly: readonly string[] = []): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        message: readOnly.includes(key) ? 'is read-only and cannot be set' : 'is not a known field',
      }));
    }
    return [{ path: base, message: issue.message }];
  });
}
