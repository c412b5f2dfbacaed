import { createContext, type VNode } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, whenUnauthorized, type Project, type Session } from './api';
import { connectLive, disconnectLive, useLiveStatus } from './live';
import { LocationProvider, Route, Router, useLocation } from './router';
import { ErrorMessage, Loading } from './components/common';
import { SignIn } from './pages/SignIn';
import { FlagsPage } from './pages/Flags';
import { FlagPage } from './pages/Flag';
import { SegmentsPage } from './pages/Segments';
import { AuditPage } from './pages/Audit';
import { TokensPage } from './pages/Tokens';
import { UsersPage } from './pages/Users';
import { DeploymentsPage } from './pages/Deployments';
import { EnvironmentsPage } from './pages/Environments';
import { WebhooksPage } from './pages/Webhooks';
import { AccountPage } from './pages/Account';
import { CreateProject } from './pages/CreateProject';
import { ViewOnly } from './components/ViewOnly';
import type { PageProps } from './props';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [startError, setStartError] = useState<unknown>(null);

  useEffect(() => {
    whenUnauthorized(() => {
      setNotice('Your session has ended. Sign in again to continue.');
      setSession(null);
    });
    api.session().then(setSession, (error) => {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else setStartError(error);
    });
  }, []);

  if (startError) return <main class="centered"><h1>Darklaunch</h1><ErrorMessage error={startError} /></main>;
  if (session === undefined) return <main class="centered"><Loading /></main>;
  if (session === null) {
    return <SignIn notice={notice} onSignedIn={(s) => { setNotice(null); setSession(s); }} />;
  }
  return (
    <LocationProvider>
      <SignedIn session={session} onSignedOut={() => { disconnectLive(); setNotice('You are signed out.'); setSession(null); }} />
    </LocationProvider>
  );
}

/** What the routes read: the signed-in user and the projects. */
interface Shell { session: Session; projects: Project[]; canEdit: boolean; reloadProjects: () => Promise<void> }
const ShellContext = createContext<Shell>(null as unknown as Shell);

/** A route inside a project: finds the project named in the path, or says there is none. */
function projectRoute(render: (props: PageProps, params: Record<string, string>) => VNode, withForms = true) {
  return function ProjectRoute({ params }: { params: Record<string, string> }) {
    const { session, projects, canEdit, reloadProjects } = useContext(ShellContext);
    const project = projects.find((p) => p.key === params.project);
    if (!project) return <NotFound what={`project “${params.project}”`} />;
    return <ViewOnly viewer={withForms && !canEdit}>{render({ session, project, canEdit, reloadProjects }, params)}</ViewOnly>;
  };
}

const FlagsRoute = projectRoute((props) => <FlagsPage {...props} />);
const FlagRoute = projectRoute((props, { flag }) => <FlagPage key={flag} {...props} flagKey={flag} />);
const SegmentsRoute = projectRoute((props) => <SegmentsPage {...props} />);
const SegmentRoute = projectRoute((props, { segment }) => <SegmentsPage key={segment} {...props} segmentKey={segment} />);
const DeploymentsRoute = projectRoute((props) => <DeploymentsPage {...props} />);
const EnvironmentsRoute = projectRoute((props) => <EnvironmentsPage {...props} />);
const AuditRoute = projectRoute((props) => <AuditPage {...props} />, false);
const WebhooksRoute = projectRoute((props) => <WebhooksPage {...props} />, false);

function TokensRoute() {
  const { session, projects } = useContext(ShellContext);
  return session.user.role === 'admin' ? <TokensPage projects={projects} /> : <Forbidden />;
}
function UsersRoute() {
  const { session } = useContext(ShellContext);
  return session.user.role === 'admin' ? <UsersPage session={session} /> : <Forbidden />;
}
function AccountRoute() {
  return <AccountPage session={useContext(ShellContext).session} />;
}
const NotFoundRoute = () => <NotFound what="page" />;

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { path, navigate } = useLocation();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [creatingProject, setCreatingProject] = useState(false);

  const reloadProjects = () => api.projects().then(setProjects, setError);
  useEffect(() => { reloadProjects(); }, []);

  const projectKey = /^\/projects\/([^/]+)/.exec(path)?.[1];
  const projectFromPath = projectKey ? safeDecode(projectKey) : null;
  // pages outside a project (tokens, users, account) keep the project last worked in
  const lastProject = useRef<string | null>(null);
  const current = projects?.find((p) => p.key === projectFromPath) ?? projects?.find((p) => p.key === lastProject.current)
    ?? projects?.find((p) => p.key === 'default') ?? projects?.[0];
  if (current) lastProject.current = current.key;
  // the stream follows that project on every page, so the indicator says whether changes arrive
  useEffect(() => { connectLive(current?.key ?? null); }, [current?.key]);
  useEffect(() => { setMenuOpen(false); }, [path]);

  useEffect(() => {
    if (projects && path === '/') {
      const first = projects.find((p) => p.key === 'default') ?? projects[0];
      if (first) navigate(`/projects/${encodeURIComponent(first.key)}/flags`, true);
    }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- redirects only when the projects or the address change
  }, [projects, path]);

  if (error) return <main class="centered"><ErrorMessage error={error} /></main>;
  if (!projects) return <main class="centered"><Loading /></main>;

  const role = session.user.role;
  const canEdit = role === 'editor' || role === 'admin';
  const base = current ? `/projects/${encodeURIComponent(current.key)}` : '';

  const nav = (href: string, label: string) => (
    <li><a href={href} aria-current={path === href || path.startsWith(href + '/') ? 'page' : undefined}>{label}</a></li>
  );

  return (
    <ShellContext.Provider value={{ session, projects, canEdit, reloadProjects }}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a href={base ? `${base}/flags` : '/'} class="brand">Darklaunch</a>
        {(projects.length > 1 || role === 'admin') && (
          <div class="project-picker">
            {projects.length > 0 && (
              <>
                <label for="project-select" class="visually-hidden">Project</label>
                <select id="project-select" value={current?.key}
                  onChange={(ev) => navigate(`/projects/${encodeURIComponent(ev.currentTarget.value)}/flags`)}>
                  {projects.map((p) => <option value={p.key}>{p.name}</option>)}
                </select>
              </>
            )}
            {role === 'admin' && <button type="button" class="new-project" aria-label="New project" title="New project"
              onClick={() => setCreatingProject(true)}>+</button>}
          </div>
        )}
        <button class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>Menu</button>
        <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Main">
          <ul>
            {base && nav(`${base}/flags`, 'Flags')}
            {base && nav(`${base}/segments`, 'Segments')}
            {base && nav(`${base}/deployments`, 'Deployments')}
            {base && nav(`${base}/environments`, 'Environments')}
            {base && nav(`${base}/audit`, 'Audit log')}
            {base && canEdit && nav(`${base}/webhooks`, 'Webhooks')}
            {role === 'admin' && nav('/tokens', 'Tokens')}
            {role === 'admin' && nav('/users', 'Users')}
          </ul>
          <div class="who">
            <LiveIndicator />
            <a href="/account" class="user" title={`Signed in as ${session.user.email}: your account`}
              aria-current={path === '/account' ? 'page' : undefined}>{session.user.email} <span class="role">{role}</span></a>
            <button onClick={() => api.signOut().then(onSignedOut, onSignedOut)}>Sign out</button>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
          <Router>
            <Route path="/projects/:project/flags" component={FlagsRoute} />
            <Route path="/projects/:project/flags/:flag" component={FlagRoute} />
            <Route path="/projects/:project/segments" component={SegmentsRoute} />
            <Route path="/projects/:project/segments/:segment" component={SegmentRoute} />
            <Route path="/projects/:project/deployments" component={DeploymentsRoute} />
            <Route path="/projects/:project/environments" component={EnvironmentsRoute} />
            <Route path="/projects/:project/audit" component={AuditRoute} />
            <Route path="/projects/:project/webhooks" component={WebhooksRoute} />
            <Route path="/tokens" component={TokensRoute} />
            <Route path="/users" component={UsersRoute} />
            <Route path="/account" component={AccountRoute} />
            <Route path="/" component={current ? Loading : NoProjects} />
            <Route default component={NotFoundRoute} />
          </Router>
      </main>
      {creatingProject && <CreateProject onClose={async (created) => {
        setCreatingProject(false);
        if (!created) return;
        await reloadProjects();
        navigate(`/projects/${encodeURIComponent(created)}/flags`);
      }} />}
    </ShellContext.Provider>
  );
}

function safeDecode(text: string): string | null {
  try { return decodeURIComponent(text); } catch { return null; }
}

function LiveIndicator() {
  const live = useLiveStatus();
  return <span class={live ? 'live on' : 'live'} title={live ? 'Changes by others appear as they happen' : 'Not receiving live changes'}>
    {live ? 'live' : 'offline'}</span>;
}

function NoProjects() {
  return <p class="empty">There are no projects yet.</p>;
}

function NotFound({ what }: { what: string }) {
  return <section><h1>Not found</h1><p class="empty">There is no such {what}.</p></section>;
}

function Forbidden() {
  return <section><h1>Not allowed</h1><p class="empty">This page is for admins.</p></section>;
}
