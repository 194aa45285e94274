/**
 * One typed method per management route the console uses. Paths follow /openapi.json; ids are
 * URL-encoded (a logical model or provider model id may contain "/").
 */
import type { ApiClient, Query } from './client.js';
import type {
  ApiKey,
  ApiKeyFields,
  CreatedApiKey,
  CreatedUser,
  Decision,
  HealthCheck,
  List,
  LogicalModel,
  LogicalModelFields,
  ModelSettings,
  NewProviderKey,
  Page,
  Provider,
  ProviderFields,
  ProviderKey,
  ProviderKeyStatus,
  ProviderMetrics,
  ProviderModel,
  ProviderModelList,
  Range,
  RequestLogDetail,
  RequestLogFilter,
  RequestLogPage,
  Role,
  Timeseries,
  UsageDimension,
  UsageReport,
  User,
} from './types.js';

const enc = encodeURIComponent;
/** a model id keeps its "/" (the routes take the rest of the path) */
const encModel = (id: string): string => id.split('/').map(enc).join('/');

export interface UserFields {
  username?: string;
  email?: string | null;
  display_name?: string | null;
  role?: Role;
  enabled?: boolean;
  password?: string;
}

export class Api {
  constructor(readonly client: ApiClient) {}

  // users
  listUsers(q: { q?: string; role?: Role; limit?: number; offset?: number } = {}): Promise<Page<User>> {
    return this.client.get('/users', { limit: 500, ...q });
  }
  createUser(body: UserFields & { username: string }): Promise<CreatedUser> {
    return this.client.post('/users', body);
  }
  updateUser(id: string, body: UserFields): Promise<User> {
    return this.client.patch(`/users/${enc(id)}`, body);
  }
  deleteUser(id: string): Promise<void> {
    return this.client.delete(`/users/${enc(id)}`);
  }
  initAdmin(body: { username?: string; password?: string; email?: string | null }): Promise<CreatedUser> {
    return this.client.request('POST', '/system/admin/init', { body, anonymous: true });
  }
  updateProfile(body: { email?: string | null; display_name?: string | null }): Promise<User> {
    return this.client.patch('/auth/me', body);
  }
  changePassword(current: string, next: string): Promise<void> {
    return this.client.post('/auth/password', { current_password: current, new_password: next });
  }

  // client API keys
  /** every key (administrators) or the keys of one user */
  listApiKeys(owner: { userId: string | null; all: boolean }, includeRevoked: boolean): Promise<Page<ApiKey>> {
    const q: Query = { limit: 500, include_revoked: includeRevoked };
    if (owner.all || owner.userId === null) return this.client.get('/api-keys', q);
    return this.client.get(`/users/${enc(owner.userId)}/api-keys`, q);
  }
  /** userId null: a key without an owner (administrators only) */
  createApiKey(userId: string | null, fields: ApiKeyFields & { name: string }, asAdmin: boolean): Promise<CreatedApiKey> {
    if (asAdmin) return this.client.post('/api-keys', { ...fields, user_id: userId });
    return this.client.post(`/users/${enc(userId ?? '')}/api-keys`, fields);
  }
  updateApiKey(key: ApiKey, fields: ApiKeyFields, asAdmin: boolean): Promise<ApiKey> {
    if (asAdmin || key.user_id === null) return this.client.patch(`/api-keys/${enc(key.id)}`, fields);
    return this.client.patch(`/users/${enc(key.user_id)}/api-keys/${enc(key.id)}`, fields);
  }
  revokeApiKey(key: ApiKey, asAdmin: boolean): Promise<ApiKey> {
    if (asAdmin || key.user_id === null) return this.client.delete(`/api-keys/${enc(key.id)}`);
    return this.client.delete(`/users/${enc(key.user_id)}/api-keys/${enc(key.id)}`);
  }

  // providers
  listProviders(): Promise<List<Provider>> {
    return this.client.get('/providers');
  }
  getProvider(id: string): Promise<Provider> {
    return this.client.get(`/providers/${enc(id)}`);
  }
  createProvider(body: ProviderFields & { id: string; kind: string; keys?: NewProviderKey[] }): Promise<Provider> {
    return this.client.post('/providers', body);
  }
  updateProvider(id: string, body: ProviderFields): Promise<Provider> {
    return this.client.patch(`/providers/${enc(id)}`, body);
  }
  deleteProvider(id: string, force = false): Promise<void> {
    return this.client.delete(`/providers/${enc(id)}`, force ? { force: true } : undefined);
  }
  providerHealth(id: string): Promise<HealthCheck> {
    return this.client.get(`/providers/${enc(id)}/health`);
  }
  providerMetrics(id: string, signal?: AbortSignal): Promise<ProviderMetrics> {
    return this.client.get(`/providers/${enc(id)}/metrics`, undefined, signal);
  }
  listProviderKeys(id: string): Promise<List<ProviderKey>> {
    return this.client.get(`/providers/${enc(id)}/keys`);
  }
  addProviderKey(id: string, body: NewProviderKey): Promise<ProviderKey> {
    return this.client.post(`/providers/${enc(id)}/keys`, body);
  }
  updateProviderKey(
    id: string,
    keyId: string,
    body: { key?: string; label?: string; weight?: number; max_qps?: number | null; status?: ProviderKeyStatus },
  ): Promise<ProviderKey> {
    return this.client.patch(`/providers/${enc(id)}/keys/${enc(keyId)}`, body);
  }
  deleteProviderKey(id: string, keyId: string): Promise<void> {
    return this.client.delete(`/providers/${enc(id)}/keys/${enc(keyId)}`);
  }
  listProviderModels(id: string, refresh = false): Promise<ProviderModelList> {
    return this.client.get(`/providers/${enc(id)}/models`, refresh ? { refresh: true } : undefined);
  }
  setProviderModel(id: string, model: string, body: ModelSettings): Promise<ProviderModel> {
    return this.client.put(`/providers/${enc(id)}/models/${encModel(model)}`, body);
  }
  deleteProviderModel(id: string, model: string): Promise<void> {
    return this.client.delete(`/providers/${enc(id)}/models/${encModel(model)}`);
  }

  // logical models and routing
  listLogicalModels(): Promise<List<LogicalModel>> {
    return this.client.get('/logical-models');
  }
  getLogicalModel(id: string): Promise<LogicalModel> {
    return this.client.get(`/logical-models/${enc(id)}`);
  }
  createLogicalModel(body: LogicalModelFields & { id: string }): Promise<LogicalModel> {
    return this.client.post('/logical-models', body);
  }
  updateLogicalModel(id: string, body: LogicalModelFields): Promise<LogicalModel> {
    return this.client.patch(`/logical-models/${enc(id)}`, body);
  }
  deleteLogicalModel(id: string): Promise<void> {
    return this.client.delete(`/logical-models/${enc(id)}`);
  }
  decide(model: string, stream = false): Promise<Decision> {
    return this.client.post('/routing/decide', { model, stream });
  }

  // usage and logs
  usage(q: { from?: string; to?: string; group_by: UsageDimension[]; key_id?: string; model?: string; provider_id?: string }): Promise<UsageReport> {
    const { group_by, ...rest } = q;
    return this.client.get('/usage', { ...rest, group_by: group_by.join(',') });
  }
  timeseries(q: { range: Range; group?: 'provider' | 'model'; key_id?: string; step?: 'hour' | 'day' }, signal?: AbortSignal): Promise<Timeseries> {
    return this.client.get('/usage/timeseries', q, signal);
  }
  requestLogs(f: RequestLogFilter, signal?: AbortSignal): Promise<RequestLogPage> {
    return this.client.get('/request-logs', { ...f }, signal);
  }
  requestLog(id: string): Promise<RequestLogDetail> {
    return this.client.get(`/request-logs/${enc(id)}`);
  }
}
