/**
 * The window's forms on a household and a person: add a member, move the
 * household to another village, edit a person's names, phone, relation or
 * household. The server checks scope and audits every change.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { get, patch as patchApi, post } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, navigate, useLoad } from '../ui.tsx';
import { useDivisions, VillageSelect } from './Register.tsx';

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'child_in_law', 'other'] as const;

function RelationSelect({ value, onChange, required = true }: { value: string; onChange: (r: string) => void; required?: boolean }) {
  const { t } = useI18n();
  return (
    <select name="relation" value={value} onChange={(e) => onChange(e.target.value)} required={required}>
      <option value="" />
      {RELATIONS.map((r) => (
        <option key={r} value={r}>
          {t(`relation.${r}`)}
        </option>
      ))}
    </select>
  );
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

export function AddMemberForm({ householdId, onDone }: { householdId: number; onDone: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ idNumber: '', name: '', nameBo: '', phone: '', relation: '' });
  const [error, setError] = useState<unknown>();
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await post('/api/v1/console/persons', {}, {
        householdId, idNumber: form.idNumber.trim(), name: form.name.trim(), nameBo: orNull(form.nameBo), phone: orNull(form.phone), relation: form.relation,
      });
      setForm({ idNumber: '', name: '', nameBo: '', phone: '', relation: '' });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="add-member">
      <h2>{t('register.addMember')}</h2>
      <Field label={t('person.idNumber')}>
        <input name="idNumber" value={form.idNumber} onChange={(e) => set('idNumber')(e.target.value)} required maxLength={18} autoComplete="off" />
      </Field>
      <Field label={t('person.name')}>
        <input name="name" value={form.name} onChange={(e) => set('name')(e.target.value)} required />
      </Field>
      <Field label={t('register.nameBo')}>
        <input name="nameBo" lang="bo" value={form.nameBo} onChange={(e) => set('nameBo')(e.target.value)} />
      </Field>
      <Field label={t('person.phone')}>
        <input name="phone" inputMode="tel" value={form.phone} onChange={(e) => set('phone')(e.target.value)} autoComplete="off" />
      </Field>
      <Field label={t('person.relation')}>
        <RelationSelect value={form.relation} onChange={set('relation')} />
      </Field>
      <button type="submit" className="primary">
        {t('register.addMember')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function MoveHouseholdForm({ householdId, divisionCode, onDone }: { householdId: number; divisionCode: string; onDone: () => void }) {
  const { t } = useI18n();
  const divisions = useDivisions();
  const [village, setVillage] = useState(divisionCode);
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await patchApi('/api/v1/console/households/{id}', { id: householdId }, { villageCode: village });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="move-household">
      <h2>{t('register.changeVillage')}</h2>
      <VillageSelect villages={(divisions.data?.items ?? []).filter((d) => d.level === 3)} value={village} onChange={setVillage} />{' '}
      <button type="submit">{t('save')}</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function EditPersonForm({ personId, onDone }: { personId: number; onDone: () => void }) {
  const { t } = useI18n();
  const entry = useLoad(() => get('/api/v1/console/persons/{id}/register', { id: personId }), [personId]);
  const divisions = useDivisions();
  const [form, setForm] = useState({ name: '', nameBo: '', phone: '', relation: '', householdCode: '', villageCode: '' });
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const e = entry.data;
    if (e) setForm({ name: '', nameBo: '', phone: '', relation: e.relation ?? '', householdCode: e.householdCode ?? '', villageCode: e.divisionCode });
  }, [entry.data]);
  if (!entry.data) return null;
  const e = entry.data;
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      // Names and the phone are masked on the page: a blank field keeps what is on record.
      const patch: Record<string, unknown> = {};
      if (form.name.trim()) patch.name = form.name.trim();
      if (form.nameBo.trim()) patch.nameBo = form.nameBo.trim();
      if (form.phone.trim()) patch.phone = form.phone.trim();
      if (form.relation) patch.relation = form.relation;
      if (form.householdCode.trim() && form.householdCode.trim() !== e.householdCode) patch.householdCode = form.householdCode.trim();
      if (e.householdId === null && form.villageCode !== e.divisionCode) patch.villageCode = form.villageCode;
      await patchApi('/api/v1/console/persons/{id}', { id: personId }, patch);
      setSaved(true);
      entry.reload();
      onDone();
      if (patch.householdCode) navigate(`/console/persons/${personId}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="edit-person">
      <h2>{t('register.edit')}</h2>
      <p className="muted">{t('register.phoneKeep')}</p>
      <Field label={t('person.name')}>
        <input name="name" value={form.name} onChange={(ev) => set('name')(ev.target.value)} placeholder={e.name} autoComplete="off" />
      </Field>
      <Field label={t('register.nameBo')}>
        <input name="nameBo" lang="bo" value={form.nameBo} onChange={(ev) => set('nameBo')(ev.target.value)} placeholder={e.nameBo ?? ''} autoComplete="off" />
      </Field>
      <Field label={t('person.phone')}>
        <input name="phone" inputMode="tel" value={form.phone} onChange={(ev) => set('phone')(ev.target.value)} autoComplete="off" placeholder={e.hasPhone ? '•••' : ''} />
      </Field>
      <Field label={t('person.relation')}>
        <RelationSelect value={form.relation} onChange={set('relation')} required={e.householdId !== null || form.householdCode.trim() !== ''} />
      </Field>
      <Field label={t('register.moveTo')}>
        <input name="householdCode" value={form.householdCode} onChange={(ev) => set('householdCode')(ev.target.value)} />
      </Field>
      {e.householdId === null ? (
        <Field label={t('person.division')}>
          <VillageSelect villages={(divisions.data?.items ?? []).filter((d) => d.level === 3)} value={form.villageCode} onChange={set('villageCode')} name="villageCode" />
        </Field>
      ) : null}
      <button type="submit" className="primary">
        {t('save')}
      </button>
      {saved ? <span className="muted"> {t('saved')}</span> : null}
      <ErrorBox error={error} />
    </form>
  );
}
