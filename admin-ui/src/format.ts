import { count } from './plural';

/** A time stamp in the reader's own format, or a dash when there is none. */
export function formatTime(iso?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "3 min ago", "2 days ago". */
export function ago(iso?: string | null): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${count(Math.round(hours / 24), 'day')} ago`;
}

/** Shows any JSON value as short text (never as markup). */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return JSON.stringify(value);
}
