/**
 * The bureau's calendar. Sanbao's bureaus are in China, where Beijing time
 * (Asia/Shanghai, UTC+8, no daylight saving) decides what "today" and "this
 * year" are — not the server's own time zone, which may be UTC.
 */
export const BUREAU_TIME_ZONE = 'Asia/Shanghai';

const DATE_FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: BUREAU_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The date (YYYY-MM-DD) of an instant in the bureau's time zone. */
export function bureauDate(instant: Date): string {
  const parts = Object.fromEntries(DATE_FORMAT.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The calendar year of an instant in the bureau's time zone. */
export function bureauYear(instant: Date): number {
  return Number(bureauDate(instant).slice(0, 4));
}

const MINUTE_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUREAU_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** An instant as a person at the bureau reads a clock: "YYYY-MM-DD HH:mm", Beijing time (printed on receipts). */
export function bureauMinute(instant: Date): string {
  const parts = Object.fromEntries(MINUTE_FORMAT.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
