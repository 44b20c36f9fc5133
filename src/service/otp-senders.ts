/**
 * Where residents' one-time codes go: an SMS gateway over HTTP (production),
 * a file readable by the operator only (the demo), or nowhere — and then
 * sign-in says so instead of writing codes somewhere nobody reads.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskIdNumber } from '../domain/privacy.ts';

/** Delivers a one-time code to a person. `available: false` marks a sender that cannot deliver (none configured). */
export interface OtpSender {
  readonly available?: boolean;
  /** How codes reach people, for the sign-in page (the demo hint shows only for 'file'). */
  readonly delivery?: OtpDelivery;
  send(message: { personId: number; idNumber: string; phone: string | null; code: string }): Promise<void>;
}

/**
 * Demo only: appends `time maskedIdNumber code` lines to a file (e.g.
 * data/otp.log), created readable and writable by its owner alone (0600).
 */
export function logFileOtpSender(path: string): OtpSender {
  return {
    delivery: 'file',
    async send({ idNumber, code }) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const created = !existsSync(path);
      appendFileSync(path, `${new Date().toISOString()} ${maskIdNumber(idNumber)} ${code}\n`, { mode: 0o600 });
      if (!created) chmodSync(path, 0o600); // a file left by an older version, or made by hand
    },
  };
}

export interface SmsGateway {
  /** The gateway's endpoint: receives a JSON POST per message. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  readonly timeoutMs?: number;
}

/** The text of the message (Chinese, as SMS templates in China are registered). */
export const otpMessage = (code: string, minutes: number) => `【三保医保】您的登录验证码是${code}，${minutes}分钟内有效。请勿告诉他人。`;

/**
 * An SMS gateway reached over HTTP: POST `{to, code, text}` as JSON with the
 * bearer token; anything but a 2xx is a failed delivery. A person without a
 * phone gets nothing (and the resident is told alike, see requestCode).
 */
export function httpOtpSender(gateway: SmsGateway, minutes = 5): OtpSender {
  return {
    delivery: 'sms',
    async send({ phone, code }) {
      if (!phone) return;
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.token}` },
        body: JSON.stringify({ to: phone, code, text: otpMessage(code, minutes) }),
        redirect: 'error',
        signal: AbortSignal.timeout(gateway.timeoutMs ?? 10_000),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new Error(`the SMS gateway answered HTTP ${res.status}`);
    },
  };
}

/** No way to deliver codes: sign-in answers 503 SMS_NOT_CONFIGURED for every number. */
export function unconfiguredOtpSender(): OtpSender {
  return {
    available: false,
    delivery: 'none',
    async send() {
      throw new Error('no SMS gateway is configured');
    },
  };
}

export type OtpDelivery = 'sms' | 'file' | 'none';

/**
 * The sender the service runs with: the SMS gateway when configured; else, in
 * demo mode only, the file; else none, with a warning to print at start-up.
 */
export function chooseOtpSender(c: { sms: SmsGateway | undefined; demo: string; otpFile: string }): { sender: OtpSender; delivery: OtpDelivery; warning?: string } {
  if (c.sms) return { sender: httpOtpSender(c.sms), delivery: 'sms' };
  if (c.demo !== 'none') return { sender: logFileOtpSender(c.otpFile), delivery: 'file' };
  return {
    sender: unconfiguredOtpSender(),
    delivery: 'none',
    warning: 'Resident sign-in is OFF: no SMS gateway is configured (set SANBAO_SMS_URL and SANBAO_SMS_TOKEN); sign-in codes go to a file only in demo mode',
  };
}
