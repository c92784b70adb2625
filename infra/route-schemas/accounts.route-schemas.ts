import { Interaction } from '#domain/customers/interaction.schema.ts';
import { Account, AccountInput, AccountPatch, Contact, ContactInput, CustomerAccount } from '#domain/sales/account.schema.ts';
import { AccountListQuery, AccountPageQuery } from '#functions/sales/account.http.ts';
import type { ACCOUNT_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof ACCOUNT_ROUTES)[number]['operationId'];

/** The account routes' request and response schemas (issue 12). */
export const ACCOUNT_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  createAccount: {
    summary: 'Create a B2B account (ownerId defaults to the caller)',
    body: AccountInput,
    responses: {
      201: { description: 'Created', schema: Account, etag: true, location: true },
      409: { description: 'The domain belongs to another account, or the parent chain would loop or is too deep' },
      422: { description: 'The parent account does not exist' },
    },
  },
  listAccounts: {
    summary: 'Accounts by name (A to Z); q: a case-insensitive name prefix, or an exact domain; tag: exact',
    query: AccountListQuery,
    responses: { 200: { description: 'A page of accounts', schema: pageOf(Account) } },
  },
  getAccount: {
    summary: 'Read an account',
    responses: { 200: { description: 'The account', schema: Account, etag: true } },
  },
  patchAccount: {
    summary: 'Change an account (JSON merge patch)',
    body: AccountPatch,
    responses: {
      200: { description: 'The updated account', schema: Account, etag: true },
      409: { description: 'The domain belongs to another account, or the parent chain would loop or is too deep' },
      412: { description: 'If-Match is stale' },
      422: { description: 'The parent account does not exist' },
    },
  },
  deleteAccount: {
    summary: 'Delete an account and its contact links (the customers stay)',
    responses: { 204: { description: 'Deleted' }, 412: { description: 'If-Match is stale' } },
  },
  putAccountContact: {
    summary: "Make a customer a contact of the account, or change the contact's role",
    body: ContactInput,
    responses: {
      200: { description: 'The contact', schema: Contact },
      409: { description: 'The customer is being erased, was erased or was merged into another' },
      422: { description: 'No such customer' },
    },
  },
  removeAccountContact: {
    summary: 'Remove a contact from the account (the customer stays)',
    responses: { 204: { description: 'Removed' } },
  },
  listAccountContacts: {
    summary: "The account's contacts, by customer id",
    query: AccountPageQuery,
    responses: { 200: { description: 'A page of contacts', schema: pageOf(Contact) } },
  },
  getAccountTimeline: {
    summary: "The interactions and cases of the account's contacts (the first 50), newest first",
    query: AccountPageQuery,
    responses: { 200: { description: 'A page of timeline entries', schema: pageOf(Interaction) } },
  },
  listCustomerAccounts: {
    summary: "The customer's accounts and their role in each",
    query: AccountPageQuery,
    responses: { 200: { description: 'A page of accounts with roles', schema: pageOf(CustomerAccount) } },
  },
};
