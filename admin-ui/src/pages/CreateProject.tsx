import { useState } from 'preact/hooks';
import { api } from '../api';
import { FormDialog } from '../components/dialogs';

/** Admins create a project; it starts with development, staging and production. */
export function CreateProject({ onClose }: { onClose: (created: string | null) => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');

  const submit = async () => {
    const project = await api.createProject({ key: key.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
    onClose(project.key);
  };

  return (
    <FormDialog titleId="new-project-title" title="New project" submitLabel="Create project" onSubmit={submit} onCancel={() => onClose(null)}>
      <label class="field">Key <small>(used in API paths and SDK tokens; letters, digits, . _ -)</small>
        <input name="key" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxLength={100} value={key} onInput={(ev) => setKey(ev.currentTarget.value)} />
      </label>
      <label class="field">Name
        <input name="name" maxLength={200} value={name} placeholder={key} onInput={(ev) => setName(ev.currentTarget.value)} />
      </label>
      <p class="hint">It starts with the environments development, staging and production (marked production); change them on its Environments page.</p>
    </FormDialog>
  );
}
