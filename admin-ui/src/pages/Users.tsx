import { useState } from 'preact/hooks';
import { api, type Role, type Session, type User } from '../api';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog } from '../components/dialogs';

const ROLES: Role[] = ['viewer', 'editor', 'admin'];

export function UsersPage({ session }: { session: Session }) {
  const list = useLoad(() => api.users(), []);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [newPassword, setNewPassword] = useState('');

  const create = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const user = await api.createUser({ email: email.trim(), password, role });
      setNotice(`${user.email} can now sign in as ${user.role}.`);
      setEmail(''); setPassword('');
      list.reload();
    } catch (e) { setError(e); }
  };
  const changeRole = async (user: User, next: Role) => {
    setError(null);
    try { await api.updateUser(user.id, { role: next }); setNotice(`${user.email} is now ${next}.`); list.reload(); } catch (e) { setError(e); list.reload(); }
  };

  return (
    <section>
      <h1>Users</h1>
      <p class="hint">Viewers read everything; editors change flags, segments and releases; admins also manage tokens and users.</p>
      <form class="card" onSubmit={create} aria-labelledby="new-user-title">
        <h2 id="new-user-title">New user</h2>
        <div class="row">
          <label class="field">Email <input name="email" required value={email} autoComplete="off" onInput={(ev) => setEmail(ev.currentTarget.value)} /></label>
          <label class="field">Password <small>(at least 12 characters)</small> <input name="password" type="password" required minLength={12} autoComplete="new-password" value={password} onInput={(ev) => setPassword(ev.currentTarget.value)} /></label>
          <label class="field">Role <select name="role" value={role} onChange={(ev) => setRole(ev.currentTarget.value as Role)}>{ROLES.map((r) => <option value={r}>{r}</option>)}</select></label>
        </div>
        <button type="submit" class="primary">Add user</button>
      </form>
      {notice && <p class="notice" role="status">{notice}</p>}
      <ErrorMessage error={error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <Empty>No users.</Empty>}
      {list.data && list.data.length > 0 && (
        <table class="list">
          <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {list.data.map((u) => (
              <tr data-user={u.email}>
                <th scope="row">{u.email}{u.id === session.user.id && <span class="hint"> (you)</span>}</th>
                <td><select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === session.user.id}
                  onChange={(ev) => changeRole(u, ev.currentTarget.value as Role)}>{ROLES.map((r) => <option value={r}>{r}</option>)}</select></td>
                <td class="actions">
                  <button onClick={() => { setNewPassword(''); setResetting(u); }}>Set password</button>
                  {u.id !== session.user.id && <button class="danger" onClick={() => setRemoving(u)}>Remove</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {removing && (
        <ConfirmDialog title={`Remove ${removing.email}?`} confirmLabel="Remove" danger onClose={async (result) => {
          const user = removing;
          setRemoving(null);
          if (!result) return;
          try { await api.deleteUser(user.id); list.reload(); } catch (e) { setError(e); }
        }}><p>They are signed out and can no longer sign in.</p></ConfirmDialog>
      )}
      {resetting && (
        <ConfirmDialog title={`New password for ${resetting.email}`} confirmLabel="Set password" onClose={async (result) => {
          const user = resetting;
          setResetting(null);
          if (!result) return;
          try { await api.updateUser(user.id, { password: newPassword }); setNotice(`The password of ${user.email} was changed.`); } catch (e) { setError(e); }
        }}>
          <label class="field">New password <small>(at least 12 characters; their sessions end)</small> <input type="password" autoComplete="new-password" required minLength={12} value={newPassword} onInput={(ev) => setNewPassword(ev.currentTarget.value)} /></label>
        </ConfirmDialog>
      )}
    </section>
  );
}
