// The one module that talks to the server. Same-origin fetch with the session cookie; every
// write carries the CSRF token from the session; error bodies {error, message, field?} become
// ApiError, which pages show as they are.

export type Role = 'viewer' | 'editor' | 'admin';
export interface User { id: number; email: string; role: Role; createdAt?: string; updatedAt?: string }
export interface Session { user: User; csrfToken: string; expiresAt: string }

export interface Environment {
  key: string; name: string; position: number; production: boolean; rollbackOnFailure: boolean; revision: number; version: number;
}
export interface EnvironmentUpdate { name: string; production: boolean; rollbackOnFailure?: boolean | null; comment?: string }
export interface Project { key: string; name: string; environments: Environment[]; version: number; createdAt: string }

export type FlagKind = 'boolean' | 'string' | 'number' | 'json';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Variation { value: Json; name?: string; description?: string }
/** A flag's definition as PUT …/flags/{flag} takes it. */
export interface FlagWrite {
  key: string; name: string; description?: string; kind: FlagKind; variations: Variation[]; tags: string[]; owner?: string;
  lifecycle: 'temporary' | 'permanent'; archived: boolean; clientSide?: boolean; comment?: string;
}
export interface FlagEnvironmentState { on: boolean; version: number; lastEvaluatedAt?: string }
export interface Flag {
  key: string; name: string; description?: string; kind: FlagKind; variations: Variation[];
  tags: string[]; owner?: string; lifecycle: 'temporary' | 'permanent'; archived: boolean;
  /** Whether client tokens (web pages) may evaluate it over OFREP; absent means no. */
  clientSide?: boolean;
  version: number; createdAt: string; updatedAt: string; environments: Record<string, FlagEnvironmentState>;
}
export interface Page<T> { items: T[]; next: string | null }

export const OPERATORS = ['in', 'startsWith', 'endsWith', 'contains', 'matches', 'numberEq', 'numberLt', 'numberLte',
  'numberGt', 'numberGte', 'semverEq', 'semverLt', 'semverLte', 'semverGt', 'semverGte', 'before', 'after', 'inCidr',
  'exists', 'segmentMatch'] as const;
export type Operator = typeof OPERATORS[number];
export interface Clause { attribute: string; op: Operator; values?: Json[]; negate?: boolean; caseInsensitive?: boolean }
export interface WeightedVariation { variation: number; weight: number }
export interface Rollout { variations: WeightedVariation[]; bucketBy?: string; salt?: string; seed?: number; total?: number }
export interface Serve { variation?: number; rollout?: Rollout }
export interface Rule { id?: string; description?: string; clauses: Clause[]; serve: Serve }
export interface Target { variation: number; values: string[] }
export interface Prerequisite { flag: string; variation: number }
export interface FlagConfig {
  /** null: while off, the application's own default is served (no variation) */
  on: boolean; offVariation: number | null; targets?: Target[]; rules?: Rule[]; fallthrough: Serve; prerequisites?: Prerequisite[];
  /** facts for applications (OpenFeature flag metadata); kept as they are by every edit here */
  metadata?: Record<string, string | number | boolean>;
}
export interface FlagConfigView { flag: string; environment: string; version: number; updatedAt: string; config: FlagConfig }

export interface Segment { key: string; name: string; description?: string; version: number; createdAt: string; updatedAt: string }
export interface SegmentRule { id?: string; clauses: Clause[] }
export interface SegmentConfig { included?: string[]; excluded?: string[]; rules?: SegmentRule[] }
export interface SegmentConfigView { segment: string; environment: string; version: number; updatedAt: string; config: SegmentConfig }

export interface Reason {
  kind: 'OFF' | 'TARGET_MATCH' | 'RULE_MATCH' | 'PREREQUISITE_FAILED' | 'FALLTHROUGH' | 'ERROR';
  ruleIndex?: number; ruleId?: string | null; prerequisiteKey?: string | null; errorKind?: string | null; inRollout: boolean;
}
export interface EvaluationDetail { value?: Json; variationIndex: number; reason: Reason }
export interface EvaluateResult { environment: string; revision: number; results: Record<string, EvaluationDetail>; unknownFlags: string[] }

export interface AuditEvent {
  seq: number; at: string; actor: string; action: string; project: string; environment?: string;
  targetKind: string; targetKey: string; before?: Json; after?: Json; comment?: string; deploymentId?: number;
}

export type TokenKind = 'admin' | 'pipeline' | 'sdk' | 'client';
export interface Token {
  id: number; name: string; kind: TokenKind; project?: string; environments: string[]; hint: string;
  /** Client tokens: the web origins whose pages may use it. */
  origins?: string[];
  createdAt: string; createdBy: string; lastUsedAt?: string; revokedAt?: string; revokedBy?: string;
}

export interface ReleaseStep { percentage: number; at?: string; after?: string; dueAt?: string; appliedAt?: string }
export interface ShippedFlag { key: string; created: boolean; exists: boolean; on: boolean; percentage: number }
export interface Release {
  state: 'running' | 'paused' | 'completed' | 'cancelled'; actor?: string; percentage: number; nextStepAt?: string; steps: ReleaseStep[];
  /** While paused: since when, by whom (or whose change to one of its flags), and why. */
  pausedAt?: string; pausedBy?: string; pauseReason?: string;
}
export interface Deployment {
  id: number; project: string; service: string; version: string; environment: string; commit?: string; url?: string;
  status: 'started' | 'succeeded' | 'failed' | 'rolled_back'; actor: string; createdAt: string; updatedAt: string;
  finishedAt?: string; flags: ShippedFlag[]; release?: Release | null;
}
export interface TimelineEntry {
  seq: number; at: string; kind: string; action: string; actor: string; summary: string; flag?: string; deployment?: number; comment?: string;
}

/** An error answer of the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
    this.name = 'ApiError';
  }
  /** What to show people: the server's sentence, and the field it concerns. */
  describe(): string {
    return this.field ? `${this.message} (${this.field})` : this.message;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** Called when a request answers 401 while signed in: the session expired or was ended. */
export function whenUnauthorized(callback: () => void) {
  onUnauthorized = callback;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface Versioned<T> { body: T; etag: string | null }

async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Versioned<T>> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  const h = init.headers as Record<string, string>;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try { json = JSON.parse(text); } catch { /* not JSON: described below */ }
  }
  if (!response.ok) {
    // the server's error body: {error, message, field?}
    const problem = (json ?? {}) as { error?: unknown; message?: unknown; field?: string };
    const error = typeof problem.message === 'string'
      ? new ApiError(response.status, String(problem.error ?? 'error'), problem.message, problem.field)
      : new ApiError(response.status, 'http_' + response.status, `The server answered ${response.status} ${response.statusText}.`);
    if (response.status === 401 && csrfToken && !path.endsWith('/session')) {
      csrfToken = null;
      onUnauthorized();
    }
    throw error;
  }
  return { body: json as T, etag: response.headers.get('ETag') };
}

const get = <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)).then((r) => r.body);
const send = <T>(method: string, path: string, body?: unknown, ifMatch?: string | number) =>
  request<T>(method, path, body, ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }).then((r) => r.body);

const p = (project: string) => `/api/v1/projects/${encodeURIComponent(project)}`;
const e = encodeURIComponent;

// ---- session ----

function remember(session: Session): Session {
  csrfToken = session.csrfToken;
  return session;
}

export const api = {
  session: () => get<Session>('/api/v1/session').then(remember),
  signIn: (email: string, password: string) => send<Session>('POST', '/api/v1/session', { email, password }).then(remember),
  signOut: () => send<void>('DELETE', '/api/v1/session').finally(() => { csrfToken = null; }),

  projects: () => get<{ items: Project[] }>('/api/v1/projects').then((r) => r.items),
  project: (project: string) => get<Project>(p(project)),
  createProject: (project: { key: string; name?: string; comment?: string }) => send<Project>('POST', '/api/v1/projects', project),
  createEnvironment: (project: string, env: { key: string; name?: string; production?: boolean; comment?: string }) =>
    send<Environment>('POST', `${p(project)}/environments`, env),
  updateEnvironment: (project: string, env: string, change: EnvironmentUpdate, version: number) =>
    send<Environment>('PUT', `${p(project)}/environments/${e(env)}`, change, version),

  flags: (project: string, query: { q?: string; tag?: string; archived?: boolean; cursor?: string | null; limit?: number }) =>
    get<Page<Flag>>(`${p(project)}/flags`, query),
  flag: (project: string, key: string) => get<Flag>(`${p(project)}/flags/${e(key)}`),
  createFlag: (project: string, flag: Partial<Flag> & { comment?: string }) => send<Flag>('POST', `${p(project)}/flags`, flag),
  updateFlag: (project: string, key: string, flag: FlagWrite, version: number) =>
    send<Flag>('PUT', `${p(project)}/flags/${e(key)}`, flag, version),
  deleteFlag: (project: string, key: string, comment?: string) =>
    send<void>('DELETE', `${p(project)}/flags/${e(key)}`, comment ? { comment } : undefined),
  flagConfig: (project: string, key: string, env: string) =>
    get<FlagConfigView>(`${p(project)}/flags/${e(key)}/environments/${e(env)}`),
  saveFlagConfig: (project: string, key: string, env: string, config: FlagConfig & { comment?: string }, version: number) =>
    send<FlagConfigView>('PUT', `${p(project)}/flags/${e(key)}/environments/${e(env)}`, config, version),
  toggle: (project: string, key: string, env: string, on: boolean, comment?: string) =>
    send<FlagConfigView>('POST', `${p(project)}/flags/${e(key)}/environments/${e(env)}/${on ? 'on' : 'off'}`,
      comment ? { comment } : {}),

  evaluate: (project: string, env: string, context: Record<string, Json>, flags?: string[]) =>
    send<EvaluateResult>('POST', `${p(project)}/environments/${e(env)}/evaluate`, flags ? { context, flags } : { context }),

  segments: (project: string) => get<{ items: Segment[] }>(`${p(project)}/segments`).then((r) => r.items),
  segment: (project: string, key: string) => get<Segment>(`${p(project)}/segments/${e(key)}`),
  createSegment: (project: string, segment: { key: string; name: string; description?: string }) =>
    send<Segment>('POST', `${p(project)}/segments`, segment),
  updateSegment: (project: string, key: string, segment: { key: string; name: string; description?: string; comment?: string }, version: number) =>
    send<Segment>('PUT', `${p(project)}/segments/${e(key)}`, segment, version),
  deleteSegment: (project: string, key: string) => send<void>('DELETE', `${p(project)}/segments/${e(key)}`),
  segmentConfig: (project: string, key: string, env: string) =>
    get<SegmentConfigView>(`${p(project)}/segments/${e(key)}/environments/${e(env)}`),
  saveSegmentConfig: (project: string, key: string, env: string, config: SegmentConfig & { comment?: string }, version: number) =>
    send<SegmentConfigView>('PUT', `${p(project)}/segments/${e(key)}/environments/${e(env)}`, config, version),

  audit: (project: string, query: { flag?: string; segment?: string; environment?: string; deployment?: string | number;
    since?: string; until?: string; cursor?: string | null; limit?: number }) =>
    get<Page<AuditEvent>>(`${p(project)}/audit`, query),

  deployments: (project: string, query: { service?: string; environment?: string; status?: string; cursor?: string | null; limit?: number }) =>
    get<Page<Deployment>>(`${p(project)}/deployments`, query),
  reportDeployment: (project: string, id: number, status: 'succeeded' | 'failed', comment?: string) =>
    send<Deployment>('PATCH', `${p(project)}/deployments/${id}`, { status, ...(comment ? { comment } : {}) }),
  release: (project: string, id: number, steps?: { percentage: number; at?: string; after?: string }[], comment?: string) =>
    send<Deployment>('POST', `${p(project)}/deployments/${id}/release`, { ...(steps ? { steps } : {}), ...(comment ? { comment } : {}) }),
  pauseRelease: (project: string, id: number, comment?: string) =>
    send<Deployment>('POST', `${p(project)}/deployments/${id}/release/pause`, comment ? { comment } : {}),
  resumeRelease: (project: string, id: number, comment?: string) =>
    send<Deployment>('POST', `${p(project)}/deployments/${id}/release/resume`, comment ? { comment } : {}),
  timeline: (project: string, env: string, query: { cursor?: string | null; limit?: number }) =>
    get<Page<TimelineEntry>>(`${p(project)}/environments/${e(env)}/timeline`, query),
  rollback: (project: string, id: number, comment?: string) =>
    send<Deployment>('POST', `${p(project)}/deployments/${id}/rollback`, comment ? { comment } : {}),

  tokens: () => get<{ items: Token[] }>('/api/v1/tokens').then((r) => r.items),
  createToken: (token: { name: string; kind: TokenKind; project?: string; environments?: string[]; origins?: string[] }) =>
    send<{ token: Token; secret: string }>('POST', '/api/v1/tokens', token),
  revokeToken: (id: number) => send<void>('DELETE', `/api/v1/tokens/${id}`),

  changeOwnPassword: (currentPassword: string, password: string) =>
    send<User>('PATCH', '/api/v1/me', { currentPassword, password }),

  users: () => get<{ items: User[] }>('/api/v1/users').then((r) => r.items),
  createUser: (user: { email: string; password: string; role: Role }) => send<User>('POST', '/api/v1/users', user),
  updateUser: (id: number, change: { role?: Role; password?: string }) => send<User>('PATCH', `/api/v1/users/${id}`, change),
  deleteUser: (id: number) => send<void>('DELETE', `/api/v1/users/${id}`),

  eventsUrl: (project: string) => `${p(project)}/events`,
};

/** A message for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}

// ---- the audit log in words (appended: declaration merging keeps the edits above untouched) ----

/** The audit log's filters. */
export interface AuditQuery {
  flag?: string; segment?: string; environment?: string; deployment?: string | number; since?: string; until?: string;
  /** any part of who made the change (an email, a token's name), in any case */
  actor?: string;
  /** an action such as `flag.off`, or a kind of actions (`flag.*`, `deployment.release.*`) */
  action?: string;
  cursor?: string | null; limit?: number;
}
export interface AuditEvent {
  /** the deployment's service and version, such as "checkout 1.4.2" */
  deploymentName?: string;
}

/** Admins: the audit log of every project, with users' and admin tokens' changes (project `*`). */
export const auditEverywhere = (query: AuditQuery) => get<Page<AuditEvent>>('/api/v1/audit', { ...query });

/**
 * How long a flag has gone unused, read on the server's clock (the flags list answers it): when
 * an SDK last reported evaluating it (absent: no report yet), whole days since then — or since it
 * was created, without a report — and whether it is a stale temporary flag.
 */
export interface FlagUsage { lastEvaluatedAt?: string; unusedDays: number; stale: boolean }
export interface Flag { usage?: FlagUsage }

// ---- evaluation explained (POST …/evaluate?explain=true) ----

/** A rollout's bucketing: the bucket of the context's `bucketBy` value; without `value` the context is not in the rollout. */
export interface ExplainedBucket { bucketBy: string; value?: Json; bucket?: number; total: number; variation?: number; from?: number; to?: number }
export interface ExplainedSegment { segment: string; membership: 'included' | 'excluded' | 'rule' | 'none'; rule?: number }
export interface ExplainedClause {
  index: number; attribute?: string; op?: string; values?: Json[]; negate?: boolean; caseInsensitive?: boolean;
  contextValue?: Json; matched: boolean; unusable?: boolean; segments?: ExplainedSegment[];
}
/** One step of the evaluator; `served` marks the step that decided the answer. */
export type ExplanationStep =
  | { step: 'off'; served?: number }
  | { step: 'prerequisite'; flag: string; found: boolean; on: boolean; requiredVariation: number; servedVariation?: number; met: boolean; served?: number }
  | { step: 'targets'; contextKey: string; matched: boolean; served?: number }
  | { step: 'rule'; index: number; id?: string; description?: string; clauses: ExplainedClause[]; matched: boolean; bucket?: ExplainedBucket; served?: number }
  | { step: 'fallthrough'; bucket?: ExplainedBucket; served?: number };
export interface ExplainedDetail extends EvaluationDetail { explanation: ExplanationStep[] }
export interface ExplainedResult { environment: string; revision: number; results: Record<string, ExplainedDetail>; unknownFlags: string[] }

export const explainApi = {
  evaluateExplained: (project: string, env: string, context: Record<string, Json>, flags: string[]) =>
    send<ExplainedResult>('POST', `${p(project)}/environments/${e(env)}/evaluate?explain=true`, { context, flags }),
};

// ---- who gets a flag (the flags list's answer carries each environment's configuration) ----

/** The deployment whose release plan (running or paused) ships the flag in an environment. */
export interface FlagRelease { deployment: number; service: string; version: string; state: 'running' | 'paused' }
// merged into FlagEnvironmentState above (an interface declared twice is one)
export interface FlagEnvironmentState { config?: FlagConfig; release?: FlagRelease }

// ---- guarded releases: each guard with what it found at its last look ----

export interface GuardArm { n: number; events?: number; value: number }
export interface GuardState {
  verdict: 'too_few' | 'no_regression' | 'regression'; flag?: string; control?: GuardArm; treatment?: GuardArm;
  /** the treatment's worsening (positive: worse), in the metric's unit, with its always-valid interval (ends absent while unbounded) */
  estimate?: number; lower?: number; upper?: number; tolerance?: number; statistic?: number; alpha?: number; minSample?: number;
  summary?: string;
}
export interface ReleaseGuard {
  name: string; metric: { kind: 'rate' | 'ratio' | 'mean'; event: string; per?: string }; bad?: 'higher' | 'lower';
  tolerance?: { relative?: number; absolute?: number }; minSample?: number; action: 'pause' | 'rollback'; alpha?: number;
  /** the plan step (1 is the first) that starts it; absent: the whole release */
  step?: number; since?: string; checkedAt?: string; state?: GuardState;
}
// merged into Release above
export interface Release { guards?: ReleaseGuard[]; waiting?: string }

// ---- webhooks ----

export type WebhookEventKind = 'flags' | 'segments' | 'environments' | 'deployments' | 'guards';
export const WEBHOOK_EVENTS: WebhookEventKind[] = ['flags', 'segments', 'environments', 'deployments', 'guards'];
export interface Webhook {
  id: number; project: string; name: string; url: string; events: WebhookEventKind[]; format: 'json' | 'slack'; enabled: boolean;
  createdAt: string; createdBy: string; updatedAt: string; failures: number; nextAttemptAt?: string;
}
export interface WebhookWrite { name?: string; url?: string; events?: WebhookEventKind[]; format?: 'json' | 'slack'; enabled?: boolean; comment?: string }
export interface WebhookDelivery {
  id: number; deliveryId: string; event: number; action: string; at: string; attempt: number; redelivery: boolean;
  status?: number; error?: string; response?: string; durationMillis: number; succeeded: boolean;
}

export const webhooksApi = {
  list: (project: string) => get<{ items: Webhook[] }>(`${p(project)}/webhooks`).then((r) => r.items),
  create: (project: string, webhook: WebhookWrite) => send<{ webhook: Webhook; secret: string }>('POST', `${p(project)}/webhooks`, webhook),
  update: (project: string, id: number, change: WebhookWrite) => send<Webhook>('PATCH', `${p(project)}/webhooks/${id}`, change),
  remove: (project: string, id: number) => send<void>('DELETE', `${p(project)}/webhooks/${id}`),
  rotateSecret: (project: string, id: number) => send<{ webhook: Webhook; secret: string }>('POST', `${p(project)}/webhooks/${id}/secret`, {}),
  deliveries: (project: string, id: number, query: { cursor?: string | null; limit?: number }) =>
    get<Page<WebhookDelivery>>(`${p(project)}/webhooks/${id}/deliveries`, query),
  redeliver: (project: string, id: number, event: number) =>
    send<WebhookDelivery>('POST', `${p(project)}/webhooks/${id}/deliveries/${event}/redeliver`, {}),
};
