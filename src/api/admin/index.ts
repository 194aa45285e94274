/**
 * The management API (JSON over HTTP, the same surface the web console uses). Errors use the
 * OpenAI-style shape {"error": {"message", "type", "param", "code"}}.
 *
 * Routes in the management scope below are validated with TypeBox (unknown fields are errors that
 * name them) and must declare `config: { access: 'public' | 'user' | 'admin' }`; the matching
 * guard is attached automatically (src/api/admin/access.ts). Register new modules inside the scope.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../server/gateway.js';
import { enforceAccess } from './access.js';
import { registerApiKeyRoutes } from './api-keys-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerLogicalModelRoutes } from './logical-models-routes.js';
import { registerProviderKeyRoutes } from './provider-keys-routes.js';
import { registerProviderModelRoutes } from './provider-models-routes.js';
import { registerProviderRoutes } from './providers-routes.js';
import { registerRoutingRoutes } from './routing-routes.js';
import { registerSystemRoutes } from './system-routes.js';
import { registerUserRoutes } from './users-routes.js';
import { registerContextRoutes } from './context-routes.js';
import { registerRequestLogRoutes } from './request-logs-routes.js';
import { registerUsageRoutes } from './usage-routes.js';
import { typeboxValidatorCompiler } from './validation.js';

export function registerAdminRoutes(app: FastifyInstance, gw: Gateway): void {
  app.decorateRequest('operator', null);
  void app.register(async (scope) => {
    scope.setValidatorCompiler(typeboxValidatorCompiler);
    enforceAccess(scope, gw);
    const api = scope.withTypeProvider<TypeBoxTypeProvider>();
    registerSystemRoutes(api, gw);
    registerAuthRoutes(api, gw);
    registerUserRoutes(api, gw);
    registerApiKeyRoutes(api, gw);
    registerProviderRoutes(api, gw);
    registerProviderKeyRoutes(api, gw);
    registerProviderModelRoutes(api, gw);
    registerLogicalModelRoutes(api, gw);
    registerRoutingRoutes(api, gw);
    registerUsageRoutes(api, gw);
    registerRequestLogRoutes(api, gw);
    registerContextRoutes(api, gw);
  });
}
