import { Me, MePatch, ErasureRequest } from '#domain/customers/me.schema.ts';
import { Interaction } from '#domain/customers/interaction.schema.ts';
import { MyCase, MyCaseInput, MyComment, MyCommentInput } from '#domain/cases/my-case.schema.ts';
import { TimelineQuery } from '#functions/customers/customer.http.ts';
import { ErasureRequestQuery } from '#functions/customers/me.http.ts';
import { CommentListQuery } from '#functions/cases/case.http.ts';
import { MyCaseListQuery } from '#functions/cases/my-case.http.ts';
import { CustomerExport } from '../response-schemas.ts';
import type { CASE_ROUTES, CUSTOMER_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = Extract<(typeof CUSTOMER_ROUTES | typeof CASE_ROUTES)[number], { path: `/me${string}` } | { path: '/erasure-requests' }>['operationId'];

/** The self-service routes' request and response schemas (issue 11): /me, /me/cases, erasure requests. */
export const SELF_SERVICE_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  getMe: {
    summary: 'Your profile',
    responses: { 200: { description: 'The profile', schema: Me, etag: true } },
  },
  patchMe: {
    summary: 'Change your names, phone, locale or timezone (JSON merge patch)',
    body: MePatch,
    responses: {
      200: { description: 'The profile', schema: Me, etag: true },
      409: { description: 'Your erasure has begun' },
      412: { description: 'If-Match is stale' },
    },
  },
  getMyTimeline: {
    summary: 'What happened with you, newest first (no internal notes)',
    query: TimelineQuery,
    responses: { 200: { description: 'A page of timeline entries', schema: pageOf(Interaction) } },
  },
  exportMe: {
    summary: 'Everything held about you, one JSON document (GDPR access and portability)',
    responses: { 200: { description: 'One JSON document', schema: CustomerExport } },
  },
  requestErasure: {
    summary: 'Ask for your erasure: it runs after the grace period unless you cancel it first',
    responses: { 202: { description: 'Recorded (asking again changes nothing)', schema: ErasureRequest } },
  },
  getMyErasure: {
    summary: 'Your pending erasure request',
    responses: { 200: { description: 'The request', schema: ErasureRequest }, 404: { description: 'No pending request' } },
  },
  cancelMyErasure: {
    summary: 'Cancel your pending erasure request',
    responses: { 200: { description: 'Cancelled', schema: ErasureRequest }, 404: { description: 'No pending request' } },
  },
  listErasureRequests: {
    summary: "Customers' pending erasure requests, soonest run first",
    query: ErasureRequestQuery,
    responses: { 200: { description: 'A page of requests', schema: pageOf(ErasureRequest) } },
  },
  listMyCases: {
    summary: 'Your cases, newest first',
    query: MyCaseListQuery,
    responses: { 200: { description: 'A page of cases', schema: pageOf(MyCase) } },
  },
  openMyCase: {
    summary: 'Open a case (channel web)',
    body: MyCaseInput,
    responses: { 201: { description: 'Opened', schema: MyCase, location: true }, 409: { description: 'Your erasure has begun' } },
  },
  getMyCase: {
    summary: 'One of your cases',
    responses: { 200: { description: 'The case', schema: MyCase } },
  },
  listMyComments: {
    summary: "A case's public comments, oldest first",
    query: CommentListQuery,
    responses: { 200: { description: 'A page of comments', schema: pageOf(MyComment) } },
  },
  addMyComment: {
    summary: 'Reply on one of your cases (public); a reply to a pending or solved case reopens it',
    body: MyCommentInput,
    responses: { 201: { description: 'Added', schema: MyComment }, 409: { description: 'The case is closed (case-closed), or your erasure has begun' } },
  },
  closeMyCase: {
    summary: 'Close one of your cases once it is solved',
    responses: { 200: { description: 'Closed', schema: MyCase }, 409: { description: 'The case is not solved (status-move) or already closed (case-closed)' } },
  },
};
