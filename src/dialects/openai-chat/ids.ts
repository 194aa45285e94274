import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random id like OpenAI's (`chatcmpl-…`, `call_…`): prefix + 24 alphanumerics. */
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

/** The id to show an OpenAI chat client: ours as is, anyone else's with the `chatcmpl-` prefix. */
export function chatCompletionId(id: string | undefined): string {
  if (!id) return newId('chatcmpl-');
  return id.startsWith('chatcmpl-') ? id : `chatcmpl-${id}`;
}
