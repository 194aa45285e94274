/**
 * Logical models: a name clients ask for, routed to a list of upstreams (provider + the
 * provider's model id, with weight and priority). Writes go live on every instance at once.
 */
import type { Gateway } from '../server/gateway.js';
import type { LogicalModelRow, LogicalModelUpstreamRow } from '../store/db/schema.js';
import type { UpstreamInput } from '../store/db/repositories/logical-models.js';
import { configChanged } from './config-change.js';
import { badRequest, conflict, notFound } from './errors.js';

export const LOGICAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;

export interface UpstreamFields {
  provider_id: string;
  model: string;
  weight?: number | undefined;
  priority?: number | undefined;
}

export interface LogicalModelFields {
  description?: string | null | undefined;
  enabled?: boolean | undefined;
  on_stream_failure?: 'error' | 'continue' | undefined;
  upstreams?: UpstreamFields[] | undefined;
}

export interface LogicalModelView {
  row: LogicalModelRow;
  upstreams: LogicalModelUpstreamRow[];
}

export async function getLogicalModel(gw: Gateway, id: string): Promise<LogicalModelView> {
  const row = await gw.store.logicalModels.get(id);
  if (!row) throw notFound(`logical model '${id}'`);
  return { row, upstreams: await gw.store.logicalModels.listUpstreams(id) };
}

export async function listLogicalModels(gw: Gateway): Promise<LogicalModelView[]> {
  const [rows, ups] = await Promise.all([gw.store.logicalModels.list(), gw.store.logicalModels.listUpstreams()]);
  const by = new Map<string, LogicalModelUpstreamRow[]>();
  for (const u of ups) by.set(u.logical_model_id, [...(by.get(u.logical_model_id) ?? []), u]);
  return rows.map((row) => ({ row, upstreams: by.get(row.id) ?? [] }));
}

/** `field` '' = the body is one upstream (POST); otherwise errors name e.g. upstreams[2].model. */
async function cleanUpstreams(gw: Gateway, list: UpstreamFields[], field = 'upstreams'): Promise<UpstreamInput[]> {
  const known = new Set((await gw.store.providers.list()).map((p) => p.id));
  const seen = new Set<string>();
  const at = (i: number, name: string): string => (field === '' ? name : `${field}[${i}].${name}`);
  return list.map((u, i) => {
    const model = u.model.trim();
    if (model === '') throw badRequest(`'${at(i, 'model')}' must not be blank.`, at(i, 'model'));
    if (!known.has(u.provider_id)) {
      throw badRequest(`'${at(i, 'provider_id')}': there is no provider '${u.provider_id}'.`, at(i, 'provider_id'), 'unknown_provider');
    }
    const key = `${u.provider_id}\u0000${model}`;
    if (seen.has(key)) throw badRequest(`'${field}[${i}]' repeats ${u.provider_id}/${model}.`, `${field}[${i}]`);
    seen.add(key);
    return { provider_id: u.provider_id, model, weight: u.weight ?? 1, priority: u.priority ?? 0 };
  });
}

function cleanDescription(d: string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const v = d.trim();
  return v === '' ? null : v;
}

export async function createLogicalModel(gw: Gateway, id: string, f: LogicalModelFields): Promise<LogicalModelView> {
  if (!LOGICAL_ID.test(id)) {
    throw badRequest("'id' must be 1-128 characters: letters, digits and . _ : / @ + -, starting with a letter or digit.", 'id');
  }
  if (await gw.store.logicalModels.get(id)) throw conflict(`A logical model with id '${id}' already exists.`, 'id');
  const upstreams = await cleanUpstreams(gw, f.upstreams ?? []);
  await gw.store.logicalModels.upsertWithUpstreams(
    {
      id,
      description: cleanDescription(f.description),
      enabled: f.enabled === false ? 0 : 1,
      on_stream_failure: f.on_stream_failure ?? 'error',
      source: 'api',
    },
    upstreams,
  );
  await configChanged(gw);
  return getLogicalModel(gw, id);
}

export async function updateLogicalModel(gw: Gateway, id: string, f: LogicalModelFields): Promise<LogicalModelView> {
  const current = await getLogicalModel(gw, id);
  const row = {
    id,
    description: f.description !== undefined ? cleanDescription(f.description) : current.row.description,
    enabled: f.enabled !== undefined ? (f.enabled ? 1 : 0) : current.row.enabled,
    on_stream_failure: f.on_stream_failure ?? current.row.on_stream_failure,
    source: current.row.source,
  };
  if (f.upstreams !== undefined) {
    await gw.store.logicalModels.upsertWithUpstreams(row, await cleanUpstreams(gw, f.upstreams));
  } else {
    await gw.store.logicalModels.update(id, { description: row.description, enabled: row.enabled, on_stream_failure: row.on_stream_failure });
  }
  await configChanged(gw);
  return getLogicalModel(gw, id);
}

export async function deleteLogicalModel(gw: Gateway, id: string): Promise<void> {
  await getLogicalModel(gw, id);
  await gw.store.logicalModels.delete(id);
  await configChanged(gw);
}

export async function replaceUpstreams(gw: Gateway, id: string, list: UpstreamFields[]): Promise<LogicalModelView> {
  return updateLogicalModel(gw, id, { upstreams: list });
}

export async function addUpstream(gw: Gateway, id: string, u: UpstreamFields): Promise<LogicalModelView> {
  await getLogicalModel(gw, id);
  const [clean] = await cleanUpstreams(gw, [u], '');
  if (!(await gw.store.logicalModels.addUpstream(id, clean!))) {
    throw conflict(`The logical model '${id}' already routes to ${clean!.provider_id}/${clean!.model}; edit it with PUT instead.`);
  }
  await configChanged(gw);
  return getLogicalModel(gw, id);
}

export async function removeUpstream(gw: Gateway, id: string, providerId: string, model: string): Promise<LogicalModelView> {
  await getLogicalModel(gw, id);
  if (!(await gw.store.logicalModels.removeUpstream(id, providerId, model))) {
    throw notFound(`upstream ${providerId}/${model} on logical model '${id}'`);
  }
  await configChanged(gw);
  return getLogicalModel(gw, id);
}
