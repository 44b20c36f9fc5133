/** What of a discharge may be shown in lists: the insured person's number masked like an ID number. */
export function maskPsnNo(psnNo: string): string {
  if (psnNo.length <= 6) return '*'.repeat(psnNo.length);
  return `${psnNo.slice(0, 3)}${'*'.repeat(psnNo.length - 6)}${psnNo.slice(-3)}`;
}
