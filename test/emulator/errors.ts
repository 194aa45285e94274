/**
 * Error bodies in each provider's own shape:
 * OpenAI `{"error":{message,type,param,code}}`, Azure `{"error":{code,message}}` for platform
 * errors, Anthropic `{"type":"error","error":{type,message}}`, Gemini `{"error":{code,message,status}}`.
 */
import type { ProviderName } from './types.js';

export interface ErrorOverrides {
  message?: string;
  /** OpenAI `type`, Anthropic `error.type`, Gemini `status`. */
  type?: string;
  code?: string | number | null;
  param?: string | null;
}

const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function openAiDefaults(status: number): { message: string; type: string; code: string | null } {
  switch (status) {
    case 400:
      return { message: 'Invalid request.', type: 'invalid_request_error', code: null };
    case 401:
      return { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' };
    case 403:
      return { message: 'You are not allowed to make this request.', type: 'invalid_request_error', code: null };
    case 404:
      return { message: 'The requested resource does not exist.', type: 'invalid_request_error', code: null };
    case 429:
      return {
        message: 'Rate limit reached for requests. Please try again later.',
        type: 'requests',
        code: 'rate_limit_exceeded',
      };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null }
        : { message: `Request failed with status ${status}.`, type: 'invalid_request_error', code: null };
  }
}

function anthropicDefaultMessage(type: string, status: number): string {
  switch (type) {
    case 'overloaded_error':
      return 'Overloaded';
    case 'rate_limit_error':
      return 'Number of request tokens has exceeded your per-minute rate limit.';
    case 'authentication_error':
      return 'invalid x-api-key';
    case 'api_error':
      return 'Internal server error';
    default:
      return `Request failed with status ${status}.`;
  }
}

function geminiDefaultMessage(status: number): string {
  switch (status) {
    case 429:
      return 'Resource has been exhausted (e.g. check quota).';
    case 500:
      return 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
    case 503:
      return 'The model is overloaded. Please try again later.';
    case 504:
      return 'Deadline expired before operation could complete.';
    default:
      return `Request failed with status ${status}.`;
  }
}

export function openAiErrorBody(status: number, o: ErrorOverrides = {}): unknown {
  const d = openAiDefaults(status);
  return {
    error: {
      message: o.message ?? d.message,
      type: o.type ?? d.type,
      param: o.param ?? null,
      code: o.code === undefined ? d.code : o.code,
    },
  };
}

/** Azure's own (platform) errors: `code` is a string, no `type`. */
export function azureErrorBody(status: number, o: ErrorOverrides = {}): unknown {
  const message = o.message ?? (status === 404 ? 'Resource not found' : openAiDefaults(status).message);
  return { error: { code: o.code === undefined || o.code === null ? String(status) : String(o.code), message } };
}

export function anthropicErrorBody(status: number, o: ErrorOverrides = {}): unknown {
  const type = o.type ?? ANTHROPIC_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: o.message ?? anthropicDefaultMessage(type, status) } };
}

export function geminiErrorBody(status: number, o: ErrorOverrides = {}): unknown {
  const code = typeof o.code === 'number' ? o.code : status;
  return {
    error: {
      code,
      message: o.message ?? geminiDefaultMessage(status),
      status: o.type ?? GEMINI_STATUS[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'),
    },
  };
}

export function errorBody(provider: ProviderName, status: number, o: ErrorOverrides = {}): unknown {
  switch (provider) {
    case 'openai':
      return openAiErrorBody(status, o);
    case 'azure':
      return azureErrorBody(status, o);
    case 'anthropic':
      return anthropicErrorBody(status, o);
    case 'gemini':
      return geminiErrorBody(status, o);
  }
}

/** A key shown the way OpenAI shows a wrong one: its first 3 and last 4 characters, the rest masked. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return key.slice(0, 3) + '*'.repeat(key.length - 7) + key.slice(-4);
}

/** The provider's answer to a missing or wrong key (401). */
export function authErrorBody(provider: ProviderName, key: string | null): unknown {
  switch (provider) {
    case 'openai':
      return openAiErrorBody(401, {
        message:
          key === null
            ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            : `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        code: key === null ? null : 'invalid_api_key',
      });
    case 'azure':
      return azureErrorBody(401, {
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      });
    case 'anthropic':
      return anthropicErrorBody(401, { message: key === null ? 'x-api-key header is required' : 'invalid x-api-key' });
    case 'gemini':
      return geminiErrorBody(401, {
        message:
          key === null
            ? 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.'
            : 'API key not valid. Please pass a valid API key.',
      });
  }
}

/** The provider's answer to a model it does not serve (404). */
export function unknownModelBody(provider: ProviderName, model: string): unknown {
  switch (provider) {
    case 'openai':
      return openAiErrorBody(404, {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        code: 'model_not_found',
      });
    case 'azure':
      return azureErrorBody(404, {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      });
    case 'anthropic':
      return anthropicErrorBody(404, { message: `model: ${model}` });
    case 'gemini':
      return geminiErrorBody(404, {
        message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      });
  }
}

/** The provider's answer to a body that is not JSON (400). */
export function badJsonBody(provider: ProviderName, detail: string): unknown {
  switch (provider) {
    case 'openai':
    case 'azure':
      return openAiErrorBody(400, {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      });
    case 'anthropic':
      return anthropicErrorBody(400, { message: `There was an error parsing the body: ${detail}` });
    case 'gemini':
      return geminiErrorBody(400, { message: `Invalid JSON payload received. ${detail}` });
  }
}
