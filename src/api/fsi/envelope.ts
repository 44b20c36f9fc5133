/**
 * The national interface's envelope (入参/出参通用报文): the request's fields
 * checked at the boundary, the response built the same way for every
 * transaction. Errors answer infcode -1 with err_msg naming the field.
 */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { NATIONAL_FACILITY_CODE } from '../../domain/facility-code.ts';

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const MSGID = /^(H\d{11})(\d{14})(\d{4})$/;

/** "yyyy-MM-dd HH:mm:ss" that is a real moment. */
export function isInterfaceTime(text: string): boolean {
  const m = TIME.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
}

const text = (max: number) => z.string({ required_error: 'is missing', invalid_type_error: 'must be a string' }).max(max);

export const envelopeSchema = z.object({
  infno: z.string({ required_error: 'is missing' }).regex(/^\d{4}$/, 'must be a 4-digit transaction number'),
  msgid: z
    .string({ required_error: 'is missing' })
    .refine((m) => MSGID.test(m) && isInterfaceTime(`${m.slice(12, 16)}-${m.slice(16, 18)}-${m.slice(18, 20)} ${m.slice(20, 22)}:${m.slice(22, 24)}:${m.slice(24, 26)}`), {
      message: 'must be the 12-character institution code, yyyyMMddHHmmss and a 4-digit sequence (30 characters)',
    }),
  mdtrtarea_admvs: z.string({ required_error: 'is missing' }).regex(/^\d{6}$/, 'must be a 6-digit division code'),
  insuplc_admdvs: z.string({ required_error: 'is missing' }).regex(/^(\d{6})?$/, 'must be a 6-digit division code or empty'),
  recer_sys_code: text(20),
  infver: text(10),
  opter_type: text(3),
  opter: text(30).min(1, 'is missing'),
  opter_name: text(50),
  inf_time: z.string({ required_error: 'is missing' }).refine(isInterfaceTime, 'must be a time "yyyy-MM-dd HH:mm:ss"'),
  fixmedins_code: z.string({ required_error: 'is missing' }).regex(NATIONAL_FACILITY_CODE, 'must be the 12-character institution code (H + division + 5 digits)'),
  fixmedins_name: text(200),
  sign_no: text(40).default(''),
  input: z.record(z.unknown(), { required_error: 'is missing', invalid_type_error: 'must be an object' }),
});
export type Envelope = z.output<typeof envelopeSchema>;

export interface FsiResponse {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  output: Record<string, unknown>;
  /** Sanbao's own error vocabulary beside err_msg, for a HIS that reads it. */
  error?: { code: string; message: string; field?: string };
}

/** yyyyMMddHHmmssSSS in China time (UTC+8), as the platform writes its times. */
export function platformTime(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}${t.slice(20, 23)}`;
}

/** The platform's own id of the answer: the treatment area, the time and a sequence. */
function refMessageId(area: string, at: Date, sequence: number): string {
  return `${area}${platformTime(at)}${String(sequence % 10_000).padStart(4, '0')}`;
}

let sequence = 0;

export function success(area: string, received: Date, output: Record<string, unknown>): FsiResponse {
  sequence += 1;
  const now = new Date();
  return { infcode: 0, inf_refmsgid: refMessageId(area, now, sequence), refmsg_time: platformTime(received), respond_time: platformTime(now), err_msg: null, output };
}

export function failure(area: string, received: Date, error: DomainError): FsiResponse {
  sequence += 1;
  const now = new Date();
  const errMsg = error.field ? `${error.field}: ${error.message}` : error.message;
  return {
    infcode: -1, inf_refmsgid: refMessageId(area, now, sequence), refmsg_time: platformTime(received), respond_time: platformTime(now),
    err_msg: errMsg, output: {}, error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  };
}

/** The request's date ("yyyy-MM-dd") from inf_time: what "today" is for the transaction (ages, the year of 1101). */
export const dayOf = (time: string): string => time.slice(0, 10);
