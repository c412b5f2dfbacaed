import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorMessage } from '../components/common';

/** Admins create a project; it starts with development, staging and production. */
export function CreateProject({ onClose }: { onClose: (created: string | null) => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => { dialog.current?.showModal(); }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const project = await api.createProject({ key: key.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
      onClose(project.key);
    } catch (e) { setError(e); }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="new-project-title" onCancel={(ev) => { ev.preventDefault(); onClose(null); }}>
      <form onSubmit={submit}>
        <h2 id="new-project-title">New project</h2>
        <label class="field">Key <small>(used in API paths and SDK tokens; letters, digits, . _ -)</small>
          <input name="key" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxLength={100} value={key} onInput={(ev) => setKey(ev.currentTarget.value)} />
        </label>
        <label class="field">Name
          <input name="name" maxLength={200} value={name} placeholder={key} onInput={(ev) => setName(ev.currentTarget.value)} />
        </label>
        <p class="hint">It starts with the environments development, staging and production (marked production); change them on its Environments page.</p>
        <ErrorMessage error={error} />
        <div class="actions">
          <button type="button" onClick={() => onClose(null)}>Cancel</button>
          <button type="submit" class="primary">Create project</button>
        </div>
      </form>
    </dialog>
  );
}
