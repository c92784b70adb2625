import { QueueInput, QueueName } from '#domain/cases/case.schema.ts';
import { NotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, jsonBody } from '../shared/request.ts';
import type { CasesApp } from './case.http.ts';

export const putQueueHandler: RouteHandler<CasesApp> = async (request, app) => {
  const name = request.params.name ?? '';
  if (!QueueName.safeParse(name).success) throw new NotFoundError(`No queue named ${name}; names are lowercase letters, digits, - and _.`);
  return json(200, await app.cases.putQueue(name, jsonBody(request, QueueInput)));
};

export const getQueueHandler: RouteHandler<CasesApp> = async (request, app) => {
  const name = request.params.name ?? '';
  const queue = QueueName.safeParse(name).success ? await app.cases.getQueue(name) : undefined;
  if (!queue) throw new NotFoundError(`No queue named ${name}.`);
  return json(200, queue);
};
