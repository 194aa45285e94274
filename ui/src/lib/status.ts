import type { Tone } from '../components/ui.js';

/** Badge colour for an HTTP status. */
export function statusTone(status: number): Tone {
  if (status < 300) return 'success';
  if (status === 499) return 'neutral';
  if (status < 500) return 'warning';
  return 'danger';
}
