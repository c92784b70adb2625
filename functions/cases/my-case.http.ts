import * as z from '#domain/shared/zod.ts';
import { type Case, CaseStatus, type Comment } from '#domain/cases/case.schema.ts';
import type { MyCase, MyComment } from '#domain/cases/my-case.schema.ts';
import type { ApiResult } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';
import { Cursor, Limit } from '../shared/query.ts';

/** GET /me/cases: the customer's cases, newest first. */
export const MyCaseListQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor), status: z.optional(CaseStatus) }));

/** A case as its customer sees it: MyCase's fields only (no queue, assignee, tags, SLA or escalation). */
export function toMyCase(c: Case): MyCase {
  const { id, number, subject, description, status, channel, createdAt, updatedAt, solvedAt, closedAt } = c;
  return { id, number, subject, description, status, channel, createdAt, updatedAt, solvedAt, closedAt };
}

/** A public comment as the customer reads it: who wrote it by kind only, never a staff id. */
export function toMyComment(c: Comment): MyComment {
  const { id, caseId, body, authorType, createdAt } = c;
  return { id, caseId, body, authorType, createdAt };
}

export function myCaseResponse(status: 200 | 201, c: Case): ApiResult {
  return json(status, toMyCase(c), status === 201 ? { location: `/me/cases/${encodeURIComponent(c.id)}` } : {});
}
