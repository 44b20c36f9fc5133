/**
 * A department's list of pushes (full ID numbers and names): downloaded by the
 * department's liaison, or by the bureau admin acting for it; the download is
 * audited and changes nothing; "confirm received" is the explicit step that
 * moves the listed cases from raised to pushed.
 */
import { useState } from 'react';
import { download as downloadFile, get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

type OutboxLine = Answer<'GET', '/api/v1/monitoring/outbox'>['departments'][number];

/** Who may take which list: a liaison its own department's, the bureau admin any (acting for it); nobody else. */
export function mayTakeLists(staff: Staff): boolean {
  return (staff.role === 'department_liaison' && staff.department !== null) || staff.role === 'bureau_admin';
}

export function DepartmentLists({ staff, onChange }: { staff: Staff; onChange: () => void }) {
  const { t } = useI18n();
  const outbox = useLoad(() => get('/api/v1/monitoring/outbox', {}), []);
  if (!outbox.data) return null;
  const lines = outbox.data.departments.filter((d) => (staff.role === 'department_liaison' ? d.department === staff.department : d.pending > 0));
  if (!lines.length) return null;
  return (
    <div className="card" data-testid="department-lists">
      <h2>{t('lists.title')}</h2>
      <p className="muted">{t('lists.note')}</p>
      {lines.map((d) => (
        <DepartmentList key={d.department} line={d} actingFor={staff.role === 'bureau_admin'} onChange={() => (outbox.reload(), onChange())} />
      ))}
    </div>
  );
}

function DepartmentList({ line, actingFor, onChange }: { line: OutboxLine; actingFor: boolean; onChange: () => void }) {
  const { t, num } = useI18n();
  const [taken, setTaken] = useState<{ upTo: number; rows: number }>();
  const [marked, setMarked] = useState<number>();
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setError(undefined);
    setMarked(undefined);
    try {
      const { blob, headers } = await downloadFile('/api/v1/monitoring/outbox/{department}/list.csv', { department: line.department });
      const text = await blob.text();
      const rows = Math.max(0, text.trim().split('\r\n').length - 1);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `sanbao-${line.department}-pushes.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setTaken({ upTo: Number(headers.get('x-sanbao-list-up-to') ?? 0), rows });
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async () => {
    if (!taken) return;
    setError(undefined);
    try {
      const res = await post('/api/v1/monitoring/outbox/{department}/delivered', { department: line.department }, { upTo: taken.upTo });
      setMarked(res.marked);
      setTaken(undefined);
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const dept = t(`department.${line.department}`);
  return (
    <div className="form-grid" data-testid={`list-${line.department}`}>
      <p>
        <strong>{dept}</strong> · {t('lists.pending', { n: num(line.pending) })}
        {actingFor ? <small className="muted"> · {t('lists.actingFor', { dept })}</small> : null}
      </p>
      <div className="actions">
        <button type="button" onClick={download} data-testid="list-download">
          {t('lists.download')}
        </button>
        {taken && taken.rows > 0 ? (
          <button type="button" className="primary" onClick={confirm} data-testid="list-mark-delivered">
            {t('lists.markDelivered', { n: num(taken.rows) })}
          </button>
        ) : null}
        {marked !== undefined ? <span className="ok" data-testid="list-marked">{t('lists.marked', { n: num(marked) })}</span> : null}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}
