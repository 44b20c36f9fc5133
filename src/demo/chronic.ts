/**
 * Demo chronic patients: each person given a chronic bill in the demo holds
 * an approval for a disease of their region's catalogue (hypertension,
 * diabetes, …), so the demo keeps settling chronic bills, and the bill
 * carries a diagnosis of that disease. Chosen from the ID number, so the demo's
 * random stream (and every other bill) stays as it was.
 */
import { reviewApplication, submitApplication, diseasesForPerson } from '../service/chronic-approvals.ts';
import type { Db } from '../store/db.ts';
import { findPersonByIdNumber } from '../store/repositories/persons.ts';

/** A diagnosis code inside each illustrative disease's ICD-10 patterns (first code of the first pattern). */
function diagnosisOf(patterns: readonly string[]): string {
  const first = patterns[0]!;
  const code = first.includes('-') ? first.split('-')[0]! : first;
  return code.length === 3 ? `${code}.900` : code;
}

/** Per database: the diagnosis each demo person's approval was given for. */
const approvedByDb = new WeakMap<Db, Map<string, string>>();

/** The diagnosis to bill for the person's approved disease (approving one the first time). Undefined: no catalogue covers them. */
export async function demoChronicDiagnosis(db: Db, idNumber: string, year: number): Promise<string | undefined> {
  const key = `${idNumber}:${year}`;
  const approved = approvedByDb.get(db) ?? new Map<string, string>();
  approvedByDb.set(db, approved);
  const known = approved.get(key);
  if (known) return known;
  const person = await findPersonByIdNumber(db, idNumber);
  if (!person) return undefined;
  const diseases = (await diseasesForPerson(db, person, `${year}-06-30`)).filter((d) => !d.rare);
  if (diseases.length === 0) return undefined;
  const sum = [...idNumber].reduce((acc, c) => acc + c.charCodeAt(0), 0);
  // Mostly the common ones (hypertension, diabetes), as in a real county.
  const common = diseases.filter((d) => d.class === 'B');
  const pool = sum % 5 === 0 || common.length === 0 ? diseases : common;
  const disease = pool[sum % pool.length]!;
  const diagnosis = diagnosisOf(disease.icd10);
  try {
    const application = await submitApplication(db, { name: 'staff:station1', channel: 'station' }, person, {
      diseaseCode: disease.code, diagnosis, date: `${year}-01-01`,
      documents: [{ kind: 'diagnosis_certificate', fileName: `diagnosis-${person.id}.pdf`, sha256: 'a'.repeat(64), sizeBytes: 48_213 }],
    });
    await reviewApplication(db, 'staff:clerk', application.id, { decision: 'approve', validFrom: `${year}-01-01`, validTo: `${year}-12-31` });
  } catch {
    // Already applied (the person's second chronic bill): the approval is there.
  }
  approved.set(key, diagnosis);
  return diagnosis;
}
