/**
 * The control routes under `/__emulator/` (no provider key): add scripts and faults, reset,
 * read and clear the recorded requests.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './exchange.js';
import { sendJson } from './exchange.js';
import { RuleError } from './rules.js';

export interface ControlActions {
  reset(): void;
  clearReceived(): void;
}

function addRules(body: unknown, add: (rule: unknown) => { id: number }): number[] {
  const rules = Array.isArray(body) ? body : [body];
  return rules.map((r) => add(r).id);
}

export function handleControl(
  state: EmulatorState,
  actions: ControlActions,
  method: string,
  path: string,
  query: Record<string, string>,
  raw: string,
  res: ServerResponse,
): void {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case 'GET /__emulator/health':
        return sendJson(res, 200, { ok: true });
      case 'POST /__emulator/script':
        return sendJson(res, 200, { ids: addRules(parse(raw), (r) => state.rules.addScript(r)) });
      case 'POST /__emulator/fault':
        return sendJson(res, 200, { ids: addRules(parse(raw), (r) => state.rules.addFault(r)) });
      case 'POST /__emulator/reset':
        actions.reset();
        return sendJson(res, 200, { ok: true });
      case 'GET /__emulator/requests': {
        const since = Number(query.since ?? 0);
        const list = state.recorder.list;
        const requests = since > 0 ? list.filter((r) => r.seq > since) : list;
        return sendJson(res, 200, { total: state.recorder.total, requests });
      }
      case 'DELETE /__emulator/requests':
        actions.clearReceived();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: `unknown control route ${route}` });
    }
  } catch (e) {
    if (e instanceof RuleError || e instanceof SyntaxError) return sendJson(res, 400, { error: e.message });
    throw e;
  }
}

function parse(raw: string): unknown {
  return JSON.parse(raw === '' ? '{}' : raw);
}
