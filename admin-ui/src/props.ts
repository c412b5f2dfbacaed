import type { Project, Session } from './api';

/** What every page gets: who is signed in, what they may do, and the current project. */
export interface PageProps {
  session: Session;
  project: Project;
  canEdit: boolean;
  /** Reads the projects again, after a change to a project or its environments. */
  reloadProjects: () => Promise<void>;
}
