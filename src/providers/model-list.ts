/** Parsing the model lists providers return, in each provider's own shape. */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OpenAI / Anthropic / most compatible servers: `{data: [{id}]}`; also a bare array. */
export function parseDataList(body: unknown): string[] {
  const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.data) ? body.data : [];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (isRecord(item)) {
      const id = item.id ?? item.model_id ?? item.name;
      if (typeof id === 'string' && id.length > 0) out.push(id);
    }
  }
  return out;
}

/** Gemini: `{models: [{name: "models/gemini-2.0-flash"}]}`. */
export function parseGeminiList(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  const out: string[] = [];
  for (const m of body.models) {
    if (isRecord(m) && typeof m.name === 'string') out.push(m.name.replace(/^models\//, ''));
  }
  return out;
}
