/** The console's workflow pieces: case steps and determinations, monitoring lines, paging and exports. */
import type { workflowZhCN } from './workflow.zh-CN.ts';

export const workflowEn: Record<keyof typeof workflowZhCN, string> = {
  "case.reason.income_above_line": "Household income per head above the monitoring line",
  "case.reason.other": "Another reason (say which in the note)",
  "case.amount": "Amount (yuan)",
  "case.visitedOn": "Visit date",
  "case.visit": "Record the visit",
  "case.application": "Assistance application",
  "case.applicationLine": "Application #{id}: {due} due",
  "case.approveApplication": "Approve assistance on application",
  "case.noApplication": "No approved application yet: approve one first",
  "case.identity": "Identity to include",
  "case.noLineHint": "No monitoring line is set for this area and year: the bureau admin sets it under Monitoring lines, then \"no need to monitor\" can be recorded.",
  "case.noActions": "There is no step for you to take on this case",
  "lines.title": "Monitoring lines",
  "lines.region": "Region code (6 digits)",
  "lines.amount": "Line (yuan per person a year)",
  "lines.set": "Set the line",
  "lines.none": "No line is set yet",
  "lines.setBy": "Set by",
  "list.page": "{from}–{to} of {total}",
  "list.prev": "Previous",
  "list.next": "Next",
  "list.export": "Export {format}",
  "list.allYears": "All years",
  "list.all": "All",
};
