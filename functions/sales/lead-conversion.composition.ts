import { leadConversionUseCases } from '#domain/sales/lead-conversion.use-cases.ts';
import { dynamoLeadConversionStore } from './lead-conversion.dynamodb-store.ts';
import { dynamoLeadRepository } from './lead.dynamodb-repository.ts';
import type { SalesInfra } from './sales.infra.ts';

// How the lead conversion is built (lead-conversion.part.ts loads this on the first conversion).

export const leadConversionsFor = (infra: SalesInfra) =>
  leadConversionUseCases({ leads: dynamoLeadRepository(infra), store: dynamoLeadConversionStore(infra), clock: infra.clock, ids: infra.ids });
