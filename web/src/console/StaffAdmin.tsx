/** The bureau admin's staff accounts: list with role, division, department and state; add; disable/enable; reset password; change role. */
import { useState, type FormEvent } from 'react';
import { get, post, put, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useListAction, useLoad } from '../ui.tsx';

export const ROLES = ['bureau_admin', 'bureau_clerk', 'station_clerk', 'department_liaison', 'auditor'] as const;
export const DEPARTMENTS = ['county_bureau', 'medical_assistance', 'finance', 'civil_affairs', 'rural_revitalization', 'disabled_federation', 'veterans_affairs'] as const;

type StaffRow = Answer<'GET', '/api/v1/console/staff'>['items'][number];

/** A secret the server made, shown once with who it belongs to. */
export function ShownOnce({ label, secret, testId }: { label: string; secret: string; testId: string }) {
  return (
    <div className="card notice" role="status">
      <p>{label}</p>
      <code className="mono secret" data-testid={testId}>
        {secret}
      </code>
    </div>
  );
}

export function StaffAdminPage() {
  const { t } = useI18n();
  const list = useLoad(() => get('/api/v1/console/staff', {}), []);
  const [secret, setSecret] = useState<{ username: string; password: string }>();
  const [editing, setEditing] = useState<string>();
  const { error, setError, act } = useListAction(list.reload, () => setSecret(undefined));
  const toggle = (s: StaffRow) => act(async () => void (await post(s.state === 'disabled' ? '/api/v1/console/staff/{username}/enable' : '/api/v1/console/staff/{username}/disable', { username: s.username })));
  const reset = (s: StaffRow) =>
    act(async () => {
      const r = await post('/api/v1/console/staff/{username}/reset-password', { username: s.username });
      setSecret({ username: s.username, password: r.temporaryPassword });
    });

  return (
    <section>
      <h1>{t('nav.staff')}</h1>
      <AddStaff onAdded={(username, password) => { setSecret({ username, password }); list.reload(); }} />
      {secret ? <ShownOnce label={t('staff.temporaryPassword', { username: secret.username })} secret={secret.password} testId="temporary-password" /> : null}
      <ErrorBox error={error} />
      <Loading loaded={list} />
      {list.data ? (
        <table className="grid" data-testid="staff">
          <thead>
            <tr>
              <th>{t('username')}</th>
              <th>{t('staff.displayName')}</th>
              <th>{t('staff.role')}</th>
              <th>{t('staff.division')}</th>
              <th>{t('staff.department')}</th>
              <th>{t('staff.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id} data-username={s.username}>
                <td className="mono">{s.username}</td>
                <td>{s.displayName}</td>
                <td>{t(`role.${s.role}`)}</td>
                <td className="mono">{s.divisionCode}</td>
                <td>{s.department ? t(`department.${s.department}`) : '—'}</td>
                <td data-testid="state" data-state={s.state}>{t(`staff.state.${s.state}`)}</td>
                <td>
                  {editing === s.username ? (
                    <RoleForm staff={s} onDone={() => { setEditing(undefined); list.reload(); }} onError={setError} />
                  ) : (
                    <div className="actions">
                      <button type="button" onClick={() => toggle(s)} data-testid="toggle">
                        {s.state === 'disabled' ? t('staff.enable') : t('staff.disable')}
                      </button>
                      <button type="button" onClick={() => reset(s)} data-testid="reset">
                        {t('staff.resetPassword')}
                      </button>
                      <button type="button" onClick={() => setEditing(s.username)} data-testid="edit-role">
                        {t('staff.setRole')}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RoleSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <select name="role" value={value} onChange={(e) => onChange(e.target.value)} aria-label={t('staff.role')}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

function DepartmentSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <select name="department" value={value} onChange={(e) => onChange(e.target.value)} aria-label={t('staff.department')}>
      <option value="">{t('staff.noDepartment')}</option>
      {DEPARTMENTS.map((d) => (
        <option key={d} value={d}>
          {t(`department.${d}`)}
        </option>
      ))}
    </select>
  );
}

function AddStaff({ onAdded }: { onAdded: (username: string, password: string) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ username: '', displayName: '', role: 'bureau_clerk', divisionCode: '', department: '' });
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const r = await post('/api/v1/console/staff', {}, {
        ...form,
        department: form.department || null,
      });
      setForm({ ...form, username: '', displayName: '' });
      onAdded(r.username, r.temporaryPassword ?? '');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card form-grid" onSubmit={submit} data-testid="add-staff">
      <h2>{t('staff.add')}</h2>
      <Field label={t('username')}>
        <input name="username" value={form.username} onChange={(e) => set('username')(e.target.value)} required autoComplete="off" />
      </Field>
      <Field label={t('staff.displayName')}>
        <input name="displayName" value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} required />
      </Field>
      <Field label={t('staff.role')}>
        <RoleSelect value={form.role} onChange={set('role')} />
      </Field>
      <Field label={t('staff.division')}>
        <input name="divisionCode" value={form.divisionCode} onChange={(e) => set('divisionCode')(e.target.value)} required inputMode="numeric" />
      </Field>
      <Field label={t('staff.department')}>
        <DepartmentSelect value={form.department} onChange={set('department')} />
      </Field>
      <button type="submit" className="primary">
        {t('staff.add')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function RoleForm({ staff, onDone, onError }: { staff: StaffRow; onDone: () => void; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [role, setRole] = useState<string>(staff.role);
  const [divisionCode, setDivision] = useState(staff.divisionCode);
  const [department, setDepartment] = useState(staff.department ?? '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await put('/api/v1/console/staff/{username}/role', { username: staff.username }, { role, divisionCode, department: department || null });
      onDone();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <form className="actions" onSubmit={submit} data-testid="role-form">
      <RoleSelect value={role} onChange={setRole} />
      <input name="divisionCode" value={divisionCode} onChange={(e) => setDivision(e.target.value)} aria-label={t('staff.division')} size={12} />
      <DepartmentSelect value={department} onChange={setDepartment} />
      <button type="submit" className="primary">
        {t('save')}
      </button>
    </form>
  );
}
