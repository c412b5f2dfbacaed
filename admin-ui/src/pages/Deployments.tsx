import type { PageProps } from '../App';

export function DeploymentsPage(_: PageProps) {
  return (
    <section>
      <h1>Deployments</h1>
      <p class="empty">Deployments recorded by pipelines will be listed here.</p>
    </section>
  );
}
