import { bindRoutes } from '../shared/bind-routes.ts';
import { getUsageHandler, type UsagePorts } from './get-usage.handler.ts';

// GET /usage (admins, rarely): loaded by its first request, with the usage report and its schemas.

export const usageRoutes = (ports: UsagePorts) => bindRoutes(ports, { 'GET /usage': getUsageHandler });
