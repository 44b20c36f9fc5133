/** Calendar arithmetic without a Date object (hot paths: an ID number's birth date, a settle body's dates). */

/** A day of the (proleptic) Gregorian calendar, years 0 to 9999: what `new Date(…).toISOString()` gives back unchanged. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}
