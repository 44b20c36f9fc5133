/**
 * Who attests an identity (SPEC §2: an identity has "the department that
 * attests it"). The mapping is vocabulary data (ATTESTING_DEPARTMENT); this
 * is the one check every path that records an identity goes through.
 */
import { unprocessable } from './errors.ts';
import { ATTESTING_DEPARTMENT, type Department, type Identity } from './vocabulary.ts';

/** The department that attests an identity (civil affairs for minimum_living, the disabled persons' federation for severe_disability …). */
export function attestingDepartment(identity: Identity): Department {
  return ATTESTING_DEPARTMENT[identity];
}

/** Refuses recording an identity under a department that does not attest it. */
export function requireAttestedBy(identity: Identity, department: string): void {
  const attesting = attestingDepartment(identity);
  if (department !== attesting) {
    throw unprocessable('NOT_ATTESTING_DEPARTMENT', `${identity} is attested by ${attesting}, not by ${department}: nothing was recorded`, 'identity');
  }
}
