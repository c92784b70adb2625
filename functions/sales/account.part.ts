import { AccountNotFoundError } from '#domain/sales/account.ts';
import { type AccountUseCases, accountUseCases } from '#domain/sales/account.use-cases.ts';
import { AccountInput, AccountPatch, ContactInput, Domain, READ_ONLY_ACCOUNT_FIELDS } from '#domain/sales/account.schema.ts';
import type { Account } from '#domain/sales/account.schema.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import { hiddenTimelineKinds } from '../customers/customer.http.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE, PathId } from '../shared/query.ts';
import { etag, idempotencyClaim, ifMatchVersion, json, jsonBody, noContent, queryParams } from '../shared/request.ts';
import { dynamoAccountTimeline } from './account-timeline.dynamodb.ts';
import { dynamoAccountRepository } from './account.dynamodb-repository.ts';
import { AccountListQuery, AccountPageQuery } from './account.http.ts';
import type { SalesInfra } from './sales.infra.ts';

// The accounts part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of ACCOUNT_ROUTES).

export interface AccountPorts {
  readonly accounts: AccountUseCases;
}

export const accountPortsFor = (infra: SalesInfra): AccountPorts => ({
  accounts: accountUseCases({ accounts: dynamoAccountRepository(infra), timeline: dynamoAccountTimeline(infra), clock: infra.clock, ids: infra.ids }),
});

type Handler = RouteHandler<AccountPorts>;

function idParam(request: HttpRequest, name: 'id' | 'customerId', notFound: (id: string) => Error): string {
  const id = request.params[name] ?? '';
  if (!PathId.safeParse(id).success) throw notFound(id);
  return id;
}
const accountId = (request: HttpRequest) => idParam(request, 'id', (id) => new AccountNotFoundError(id));
const customerId = (request: HttpRequest, name: 'id' | 'customerId') => idParam(request, name, (id) => new CustomerNotFoundError(id));
const context = (request: HttpRequest, path?: string) => {
  const idempotency = path ? idempotencyClaim(request, path) : undefined;
  return { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) };
};
const page = (request: HttpRequest) => {
  const { limit, cursor } = queryParams(request, AccountPageQuery);
  return { limit: limit ?? DEFAULT_PAGE_SIZE, cursor };
};

function accountResponse(status: 200 | 201, account: Account) {
  return json(status, account, { etag: etag(account.version), ...(status === 201 ? { location: `/accounts/${encodeURIComponent(account.id)}` } : {}) });
}

const createAccount: Handler = async (request, app) => {
  const input = jsonBody(request, AccountInput, READ_ONLY_ACCOUNT_FIELDS);
  const actor = { id: request.principal?.sub ?? 'unknown', roles: request.principal?.roles ?? [] };
  return accountResponse(201, await app.accounts.create(input, actor, context(request, '/accounts')));
};

const listAccounts: Handler = async (request, app) => {
  const { q, tag, limit, cursor } = queryParams(request, AccountListQuery);
  // A `q` that is a hostname names a domain exactly (names rarely look like acme.com).
  const domain = q?.includes('.') ? Domain.safeParse(q) : undefined;
  return json(200, await app.accounts.list({ limit: limit ?? DEFAULT_PAGE_SIZE, cursor, tag, ...(domain?.success ? { domain: domain.data } : { q }) }));
};

const getAccount: Handler = async (request, app) => accountResponse(200, await app.accounts.get(accountId(request)));

const patchAccount: Handler = async (request, app) => {
  const id = accountId(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, AccountPatch, READ_ONLY_ACCOUNT_FIELDS);
  return accountResponse(200, await app.accounts.patch(id, patch, ifMatch, context(request)));
};

const deleteAccount: Handler = async (request, app) => {
  const id = accountId(request);
  await app.accounts.remove(id, ifMatchVersion(request));
  return noContent();
};

const putContact: Handler = async (request, app) => {
  const id = accountId(request);
  const customer = customerId(request, 'customerId');
  return json(200, await app.accounts.putContact(id, customer, jsonBody(request, ContactInput)));
};

const removeContact: Handler = async (request, app) => {
  await app.accounts.removeContact(accountId(request), customerId(request, 'customerId'));
  return noContent();
};

const listContacts: Handler = async (request, app) => json(200, await app.accounts.contacts(accountId(request), page(request)));

const customerAccounts: Handler = async (request, app) => json(200, await app.accounts.accountsOf(customerId(request, 'id'), page(request)));

const accountTimeline: Handler = async (request, app) => json(200, await app.accounts.timeline(accountId(request), page(request), hiddenTimelineKinds(request.principal)));

export const accountHandlers: Record<string, Handler> = {
  'POST /accounts': createAccount,
  'GET /accounts': listAccounts,
  'GET /accounts/{id}': getAccount,
  'PATCH /accounts/{id}': patchAccount,
  'DELETE /accounts/{id}': deleteAccount,
  'PUT /accounts/{id}/contacts/{customerId}': putContact,
  'DELETE /accounts/{id}/contacts/{customerId}': removeContact,
  'GET /accounts/{id}/contacts': listContacts,
  'GET /customers/{id}/accounts': customerAccounts,
  'GET /accounts/{id}/timeline': accountTimeline,
};
