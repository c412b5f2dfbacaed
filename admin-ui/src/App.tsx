import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, whenUnauthorized, type Project, type Session } from './api';
import { connectLive, disconnectLive, useLiveStatus } from './live';
import { match, navigate, useLocation } from './router';
import { Link } from './components/Link';
import { ErrorMessage, Loading } from './components/common';
import { SignIn } from './pages/SignIn';
import { FlagsPage } from './pages/Flags';
import { FlagPage } from './pages/Flag';
import { SegmentsPage } from './pages/Segments';
import { AuditPage } from './pages/Audit';
import { TokensPage } from './pages/Tokens';
import { UsersPage } from './pages/Users';
import { DeploymentsPage } from './pages/Deployments';

/** What every page gets: who is signed in, what they may do, and the current project. */
export interface PageProps {
  session: Session;
  project: Project;
  canEdit: boolean;
}

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
  return <SignedIn session={session} onSignedOut={() => { disconnectLive(); setNotice('You are signed out.'); setSession(null); }} />;
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { path } = useLocation();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [menuOpen, setMenuOpen] = useState(false);

  const loadProjects = () => api.projects().then(setProjects, setError);
  useEffect(() => { loadProjects(); }, []);

  const projectKey = match('/projects/:project', path.split('/').slice(0, 3).join('/'))?.project ?? null;
  useEffect(() => { connectLive(projectKey); }, [projectKey]);
  useEffect(() => { setMenuOpen(false); }, [path]);

  useEffect(() => {
    if (projects && (path === '/' || path === '')) {
      const first = projects.find((p) => p.key === 'default') ?? projects[0];
      if (first) navigate(`/projects/${encodeURIComponent(first.key)}/flags`, true);
    }
  }, [projects, path]);

  if (error) return <main class="centered"><ErrorMessage error={error} /></main>;
  if (!projects) return <main class="centered"><Loading /></main>;

  const project = projects.find((p) => p.key === projectKey) ?? null;
  const current = project ?? projects.find((p) => p.key === 'default') ?? projects[0];
  const role = session.user.role;
  const canEdit = role === 'editor' || role === 'admin';
  const props = project ? { session, project, canEdit } : null;
  const base = current ? `/projects/${encodeURIComponent(current.key)}` : '';

  let page;
  let params;
  if (!current) page = <p class="empty">There are no projects yet.</p>;
  else if (projectKey && !project) page = <NotFound what={`project “${projectKey}”`} />;
  else if (props && match('/projects/:project/flags', path)) page = <FlagsPage {...props} />;
  else if (props && (params = match('/projects/:project/flags/:flag', path))) page = <FlagPage key={params.flag} {...props} flagKey={params.flag} />;
  else if (props && match('/projects/:project/segments', path)) page = <SegmentsPage {...props} />;
  else if (props && (params = match('/projects/:project/segments/:segment', path))) page = <SegmentsPage {...props} segmentKey={params.segment} />;
  else if (props && match('/projects/:project/deployments', path)) page = <DeploymentsPage {...props} />;
  else if (props && match('/projects/:project/audit', path)) page = <AuditPage {...props} />;
  else if (path === '/tokens') page = role === 'admin' ? <TokensPage projects={projects} /> : <Forbidden />;
  else if (path === '/users') page = role === 'admin' ? <UsersPage session={session} /> : <Forbidden />;
  else if (path === '/' || path === '') page = <Loading />;
  else page = <NotFound what="page" />;

  const nav = (href: string, label: string) => (
    <li><Link href={href} aria-current={path === href || path.startsWith(href + '/') ? 'page' : undefined}>{label}</Link></li>
  );

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link href={base ? `${base}/flags` : '/'} class="brand">Darklaunch</Link>
        {projects.length > 1 && (
          <label class="project-select">
            <span class="visually-hidden">Project</span>
            <select value={current?.key} onChange={(ev) => navigate(`/projects/${encodeURIComponent(ev.currentTarget.value)}/flags`)}>
              {projects.map((p) => <option value={p.key}>{p.name}</option>)}
            </select>
          </label>
        )}
        <button class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>Menu</button>
        <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Main">
          <ul>
            {base && nav(`${base}/flags`, 'Flags')}
            {base && nav(`${base}/segments`, 'Segments')}
            {base && nav(`${base}/deployments`, 'Deployments')}
            {base && nav(`${base}/audit`, 'Audit log')}
            {role === 'admin' && nav('/tokens', 'Tokens')}
            {role === 'admin' && nav('/users', 'Users')}
          </ul>
          <div class="who">
            <LiveIndicator />
            <span class="user" title={`signed in as ${session.user.email}`}>{session.user.email} <span class="role">{role}</span></span>
            <button onClick={() => api.signOut().then(onSignedOut, onSignedOut)}>Sign out</button>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </>
  );
}

function LiveIndicator() {
  const live = useLiveStatus();
  return <span class={live ? 'live on' : 'live'} title={live ? 'Changes by others appear as they happen' : 'Not receiving live changes'}>
    {live ? 'live' : 'offline'}</span>;
}

function NotFound({ what }: { what: string }) {
  return <section><h1>Not found</h1><p class="empty">There is no such {what}.</p></section>;
}

function Forbidden() {
  return <section><h1>Not allowed</h1><p class="empty">This page is for admins.</p></section>;
}
