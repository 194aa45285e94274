/** Logical models: request and response shapes. */
import Type, { type Static } from 'typebox';
import type { LogicalModelView } from '../../../admin/logical-models.js';
import type { LogicalModelUpstreamRow } from '../../../store/db/schema.js';
import { iso, Nullable, Slug, Timestamp } from './common.js';

export const Upstream = Type.Object({
  provider_id: Type.String(),
  model: Type.String({ description: "the provider's model id (or an alias of it)" }),
  weight: Type.Number(),
  priority: Type.Integer({ description: '0 is tried first' }),
});
export type UpstreamJson = Static<typeof Upstream>;

export const UpstreamBody = Type.Object(
  {
    provider_id: Slug,
    model: Type.String({ minLength: 1, maxLength: 256 }),
    weight: Type.Optional(Type.Number({ minimum: 0, description: 'default 1' })),
    priority: Type.Optional(Type.Integer({ minimum: 0, description: 'default 0' })),
  },
  { additionalProperties: false },
);

const OnStreamFailure = Type.Enum(['error', 'continue'], {
  description: 'after a stream has started and its provider fails: end with an error (default), or continue on another upstream',
});

export const LogicalModel = Type.Object({
  id: Type.String({ description: 'the model name clients send' }),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  on_stream_failure: OnStreamFailure,
  upstreams: Type.Array(Upstream),
  source: Type.String({ description: "'api' or 'config' (the YAML file re-applies it at every start)" }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type LogicalModelJson = Static<typeof LogicalModel>;

export function presentUpstream(u: LogicalModelUpstreamRow): UpstreamJson {
  return { provider_id: u.provider_id, model: u.model, weight: u.weight, priority: u.priority };
}

export function presentLogicalModel(v: LogicalModelView): LogicalModelJson {
  return {
    id: v.row.id,
    description: v.row.description,
    enabled: v.row.enabled === 1,
    on_stream_failure: v.row.on_stream_failure === 'continue' ? 'continue' : 'error',
    upstreams: v.upstreams.map(presentUpstream),
    source: v.row.source,
    created_at: iso(v.row.created_at),
    updated_at: iso(v.row.updated_at),
  };
}

export const CreateLogicalModelBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128, description: 'letters, digits and . _ : / @ + -' }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
    enabled: Type.Optional(Type.Boolean()),
    on_stream_failure: Type.Optional(OnStreamFailure),
    upstreams: Type.Optional(Type.Array(UpstreamBody)),
  },
  { additionalProperties: false },
);

export const UpdateLogicalModelBody = Type.Object(
  {
    description: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
    enabled: Type.Optional(Type.Boolean()),
    on_stream_failure: Type.Optional(OnStreamFailure),
    upstreams: Type.Optional(Type.Array(UpstreamBody, { description: 'replaces the whole list' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UpstreamList = Type.Object({ data: Type.Array(Upstream), total: Type.Integer() });

export const ReplaceUpstreamsBody = Type.Object(
  { upstreams: Type.Array(UpstreamBody) },
  { additionalProperties: false },
);

export const LogicalModelParams = Type.Object({ id: Type.String({ minLength: 1, description: 'URL-encode a "/" in the id as %2F' }) });
export const UpstreamParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  provider: Type.String({ minLength: 1 }),
  '*': Type.String({ minLength: 1, description: 'the model (may contain "/")' }),
});
