// When a release step happens, in words: "in 10 minutes", "after 1 hour", "at 09:00 tomorrow
// (Europe/Oslo)" are read into what the API takes (a time, or an ISO-8601 interval after the step
// before) and the API's answers are shown the same way. Pure functions of the text, the time now
// and a time zone, so they are tested without a browser. Written here rather than taken from a
// date library: the grammar is small, and the browser's Intl already knows every zone's rules.

/** When a step happens: at once, an interval after the step before, or at a fixed time. */
export type When =
  | { kind: 'now' }
  | { kind: 'after'; ms: number }
  | { kind: 'at'; time: Date };

/** Where the words are read: the time now and the zone that "09:00" and "tomorrow" belong to. */
export interface Clock { now: Date; zone: string }

/** A step of a plan as the API takes it. */
export interface PlannedStep { percentage: number; at?: string; after?: string }

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The server's limits of an interval (ReleasePlan: 1 second to 90 days). */
export const MIN_WAIT = SECOND;
export const MAX_WAIT = 90 * DAY;

const UNITS: [RegExp, number, string][] = [
  [/^(w|wk|wks|weeks?)$/, 7 * DAY, 'week'],
  [/^(d|days?)$/, DAY, 'day'],
  [/^(h|hr|hrs|hours?)$/, HOUR, 'hour'],
  [/^(m|min|mins|minutes?)$/, MINUTE, 'minute'],
  [/^(s|sec|secs|seconds?)$/, SECOND, 'second'],
];

const EXAMPLES = '“in 10 minutes”, “after 1 hour” or “at 09:00 tomorrow”';

/** The browser's own time zone (IANA name), or UTC when it has none. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, for a zone picker. */
export function knownZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : ['UTC'];
}

/** The zone's IANA name as the browser spells it; throws with a clear message for an unknown one. */
export function checkZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`“${zone}” is not a time zone; use a name such as Europe/Oslo, America/New_York or UTC.`);
  }
}

/**
 * Reads an interval: "10 minutes", "1 hour 30 minutes", "an hour", "1.5 h", "2d", "1h30m".
 * Throws an Error that says what was not understood.
 */
export function parseDuration(text: string): number {
  const words = text.trim().toLowerCase().replace(/,|\band\b/g, ' ')
    .replace(/(\d)([a-z])/g, '$1 $2').replace(/([a-z])(\d)/g, '$1 $2').split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new Error('Say how long, such as “10 minutes” or “1 hour”.');
  let total = 0;
  for (let i = 0; i < words.length; i += 2) {
    const amountWord = words[i];
    const unitWord = words[i + 1];
    const amount = amountWord === 'a' || amountWord === 'an' || amountWord === 'one' ? 1 : Number(amountWord);
    if (!/^(a|an|one|\d+(\.\d+)?)$/.test(amountWord) || !isFinite(amount)) {
      throw new Error(`“${amountWord}” is not an amount: write a number and a unit, such as “10 minutes”.`);
    }
    if (unitWord === undefined) throw new Error(`“${amountWord}” needs a unit: seconds, minutes, hours, days or weeks.`);
    const unit = UNITS.find(([pattern]) => pattern.test(unitWord));
    if (!unit) throw new Error(`“${unitWord}” is not a unit of time: use seconds, minutes, hours, days or weeks.`);
    total += amount * unit[1];
  }
  return Math.round(total);
}

/** An interval in words: "10 minutes", "1 hour 30 minutes", "2 days", "45 seconds". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / SECOND) * SECOND;
  for (const [size, name] of [[DAY, 'day'], [HOUR, 'hour'], [MINUTE, 'minute'], [SECOND, 'second']] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}

/** An interval as the API writes it (Java's Duration: PT10M, PT1H30M, PT48H, PT0.5S) in milliseconds; null if it is not one. */
export function parseIsoDuration(iso: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === 'P' || /T$/i.test(iso.trim())) return null;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Math.round(Number(s ?? 0) * SECOND);
}

/** Milliseconds as an ISO-8601 interval the server reads: PT10M, PT1H30M, PT36H, PT1.5S. */
export function isoDuration(ms: number): string {
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const s = (ms % MINUTE) / SECOND;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

// ---- times of day in a zone ---------------------------------------------------------------------

interface Wall { year: number; month: number; day: number; hour: number; minute: number }

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in a zone at an instant. */
function wallAt(zone: string, ms: number): Wall & { second: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(zone: string, ms: number): number {
  const w = wallAt(zone, ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % SECOND) + SECOND) % SECOND));
}

const two = (n: number) => String(n).padStart(2, '0');
const dateText = (w: Pick<Wall, 'year' | 'month' | 'day'>) => `${w.year}-${two(w.month)}-${two(w.day)}`;

/**
 * The instant a wall-clock time has in a zone. A time the clocks skip (spring forward) does not
 * exist and is refused; a time they pass twice (fall back) is the first of the two.
 */
export function instantOf(wall: Wall, zone: string): Date {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // the offsets in force a day either side cover any change of the clocks near this time
  const candidates = [...new Set([offsetAt(zone, local - DAY), offsetAt(zone, local + DAY)])]
    .map((offset) => local - offset)
    .filter((t) => offsetAt(zone, t) === local - t)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    throw new Error(`${two(wall.hour)}:${two(wall.minute)} on ${dateText(wall)} does not exist in ${zone}: the clocks go forward`
      + ' that night. Pick a time after the change.');
  }
  return new Date(candidates[0]);
}

/** The calendar day a number of days after a date (no zone: plain calendar arithmetic). */
function addDays(w: Pick<Wall, 'year' | 'month' | 'day'>, days: number) {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const dayNumber = (w: Pick<Wall, 'year' | 'month' | 'day'>) => Date.UTC(w.year, w.month - 1, w.day) / DAY;

/** "09:00 today", "09:00 tomorrow", "14:02 yesterday", "09:00 on 2026-12-24": an instant in a zone, near now. */
export function formatTime(time: Date, clock: Clock): string {
  const w = wallAt(clock.zone, time.getTime());
  const days = dayNumber(w) - dayNumber(wallAt(clock.zone, clock.now.getTime()));
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : days === -1 ? 'yesterday' : `on ${dateText(w)}`;
  return `${two(w.hour)}:${two(w.minute)} ${day}`;
}

/** "at 09:00 tomorrow (Europe/Oslo)": a time with its zone, as the plan shows and the parser reads it. */
export function formatAt(time: Date, clock: Clock): string {
  return `at ${formatTime(time, clock)} (${clock.zone})`;
}

/** "in 10 minutes", "in 2 hours 5 minutes", "in 40 seconds", or "now" when the time has come. */
export function formatFromNow(time: Date, now: Date): string {
  const ms = time.getTime() - now.getTime();
  if (ms < SECOND) return 'now';
  return `in ${formatDuration(ms >= MINUTE ? Math.round(ms / MINUTE) * MINUTE : ms)}`;
}

/** A step's time in words: "now", "after 10 minutes", "at 09:00 tomorrow (Europe/Oslo)". */
export function describeWhen(when: When, clock: Clock): string {
  if (when.kind === 'now') return 'now';
  if (when.kind === 'after') return `after ${formatDuration(when.ms)}`;
  return formatAt(when.time, clock);
}

// ---- reading a step's time ----------------------------------------------------------------------

/** "9", "09:00", "9:30", "9am", "9:30 pm", "21:15" → hour and minute. */
function parseClockTime(text: string): { hour: number; minute: number } {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m) throw new Error(`“${text}” is not a time of day: write it as 09:00, 9:30 or 9pm.`);
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  if (m[3]) {
    if (hour < 1 || hour > 12) throw new Error(`“${text}” is not a time of day: with am or pm the hour is 1 to 12.`);
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) throw new Error(`“${text}” is not a time of day: hours go to 23, minutes to 59.`);
  return { hour, minute };
}

/** "today", "tomorrow", "on 2026-12-24", "2026-12-24" → a calendar day in the zone; null for no day. */
function parseDay(text: string, clock: Clock): Pick<Wall, 'year' | 'month' | 'day'> | null {
  const today = wallAt(clock.zone, clock.now.getTime());
  if (text === '') return null;
  if (text === 'today') return today;
  if (text === 'tomorrow') return addDays(today, 1);
  const m = /^(?:on\s+)?(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`“${text}” is not a day: write today, tomorrow or a date such as on 2026-12-24.`);
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = addDays(day, 0);
  if (check.month !== day.month || check.day !== day.day) throw new Error(`${m[1]}-${m[2]}-${m[3]} is not a date.`);
  return day;
}

/** A fixed time: "09:00", "09:00 tomorrow", "tomorrow 09:00", "09:00 on 2026-12-24", "2026-12-24 09:00". */
function parseAt(text: string, clock: Clock): Date {
  const dayFirst = /^(today|tomorrow|(?:on\s+)?\d{4}-\d{2}-\d{2})\s+(?:at\s+)?(.+)$/.exec(text);
  const timeFirst = /^(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)\s*(.*)$/.exec(text);
  const [dayText, timeText] = dayFirst ? [dayFirst[1], dayFirst[2]] : timeFirst ? [timeFirst[2], timeFirst[1]] : ['', text];
  const { hour, minute } = parseClockTime(timeText.trim());
  const day = parseDay(dayText.trim(), clock);
  const today = wallAt(clock.zone, clock.now.getTime());
  const on = day ?? today;
  let time = instantOf({ ...on, hour, minute }, clock.zone);
  if (time.getTime() <= clock.now.getTime()) {
    if (day) throw new Error(`${two(hour)}:${two(minute)} ${dayText.trim()} has passed (it is ${formatTime(clock.now, clock)} in ${clock.zone} now).`);
    time = instantOf({ ...addDays(today, 1), hour, minute }, clock.zone); // "at 09:00" after nine: the next one
  }
  return time;
}

/** A zone at the end of the words, "(Europe/Oslo)" or "UTC" or "in Europe/Oslo", taken off them. */
function takeZone(text: string, zone: string): { rest: string; zone: string } {
  const m = /^(.*?)\s*(?:\(([^()]+)\)|\bin\s+([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+)|\b(UTC|GMT|[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+))$/.exec(text);
  if (!m) return { rest: text, zone };
  return { rest: m[1], zone: checkZone((m[2] ?? m[3] ?? m[4]).trim()) };
}

/**
 * Reads when a step happens, in words: "now"; "in 10 minutes" (from now: a fixed time); "after
 * 1 hour" (after the step before: an interval); "at 09:00", "at 09:00 tomorrow", "tomorrow at 9am",
 * "at 09:00 on 2026-12-24", optionally with a zone ("(Europe/Oslo)") — otherwise the clock's.
 * Throws an Error whose message says what to write instead.
 */
export function parseWhen(input: string, clock: Clock): When {
  const text = input.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  if (lower === '' || lower === 'now' || lower === 'at once' || lower === 'immediately') return { kind: 'now' };
  const inMatch = /^in (.+)$/i.exec(text);
  if (inMatch && !/^in [A-Za-z_]+\//.test(text)) {
    const ms = parseDuration(inMatch[1]);
    if (ms < MIN_WAIT) throw new Error('“in …” needs at least 1 second.');
    return { kind: 'at', time: new Date(clock.now.getTime() + ms) };
  }
  const afterMatch = /^(?:after (.+)|(.+) (?:after|later))$/i.exec(text);
  if (afterMatch) {
    const ms = parseDuration(afterMatch[1] ?? afterMatch[2]);
    if (ms < MIN_WAIT || ms > MAX_WAIT) throw new Error('A wait is from 1 second to 90 days.');
    return { kind: 'after', ms };
  }
  const atMatch = /^(?:at |on |today|tomorrow)/i.test(text);
  if (atMatch) {
    const { rest, zone } = takeZone(text, clock.zone);
    const words = rest.toLowerCase().replace(/^at\s+/, '').replace(/\s+at\s+/, ' ').trim();
    return { kind: 'at', time: parseAt(words, { ...clock, zone }) };
  }
  if (/^\d/.test(text) && isDuration(text)) {
    throw new Error(`Say “in ${text}” (from now) or “after ${text}” (after the step before).`);
  }
  throw new Error(`“${input.trim()}” is not understood; write ${EXAMPLES}.`);
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** A step of the plan being written: its share and when, both as typed. */
export interface StepDraft { percentage: string; when: string }

/**
 * The plan as the API takes it, checked as the server will check it but said in words; throws
 * an Error naming the step. "in …" becomes a fixed time, "after …" an interval.
 */
export function planSteps(drafts: StepDraft[], clock: Clock, above = 0): PlannedStep[] {
  const steps: PlannedStep[] = [];
  let previous: { percentage: number; when: When } | null = null;
  drafts.forEach((draft, i) => {
    const name = `Step ${i + 1}`;
    const percentage = Number(draft.percentage);
    if (draft.percentage.trim() === '' || !(percentage > 0 && percentage <= 100)) {
      throw new Error(`${name} needs a percentage above 0 and at most 100.`);
    }
    if (Math.round(percentage * 1000) !== percentage * 1000) throw new Error(`${name}: a percentage has at most three decimals.`);
    if (percentage <= (previous?.percentage ?? above)) {
      throw new Error(previous ? `${name} must raise the share: ${percentage} % is not above the ${previous.percentage} % of step ${i}.`
        : `${name} must go above the ${above} % the release reached.`);
    }
    let when: When;
    try { when = parseWhen(draft.when, clock); } catch (e) { throw new Error(`${name}: ${(e as Error).message}`, { cause: e }); }
    if (previous && when.kind === 'now') throw new Error(`${name} needs a time, such as ${EXAMPLES}.`);
    if (previous && when.kind === 'at' && previous.when.kind === 'after') {
      throw new Error(`${name} is at a fixed time, but step ${i} waits (“${describeWhen(previous.when, clock)}”): which comes first`
        + ` would depend on when step ${i} applies. Write step ${i + 1} as “after …” too.`);
    }
    if (previous && when.kind === 'at' && previous.when.kind === 'at' && when.time.getTime() <= previous.when.time.getTime()) {
      throw new Error(`${name} (${describeWhen(when, clock)}) must come after step ${i} (${describeWhen(previous.when, clock)}).`);
    }
    steps.push({ percentage, ...(when.kind === 'at' ? { at: when.time.toISOString() } : {}),
      ...(when.kind === 'after' ? { after: isoDuration(when.ms) } : {}) });
    previous = { percentage, when };
  });
  return steps;
}

/** A planned step's time as the API shows it, in words ("after 10 minutes", "at 09:00 tomorrow (UTC)"); '' for none. */
export function describePlanned(step: { at?: string; after?: string }, clock: Clock): string {
  if (step.at) return formatAt(new Date(step.at), clock);
  if (step.after) {
    const ms = parseIsoDuration(step.after);
    return ms === null ? `after ${step.after}` : `after ${formatDuration(ms)}`;
  }
  return '';
}

/** The shares a release usually goes through. */
const LADDER = [1, 5, 10, 25, 50, 100];

/** What a completed release may continue to: the next usual share above the one it reached, and 100 %. */
export function continuations(reached: number): number[] {
  if (reached >= 100) return [];
  const next = LADDER.find((p) => p > reached) ?? 100;
  return next === 100 ? [100] : [next, 100];
}
