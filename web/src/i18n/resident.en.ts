/** The resident page: where the code went, the e-insurance QR, the plain explanation of a bill. */
import type { residentZhCN } from './resident.zh-CN.ts';

export const residentEn: Record<keyof typeof residentZhCN, string> = {
  "me.codeSentTo": "The code was sent to {phone}",
  "me.noPhone": "No phone is registered for you, so no code can reach you: please visit your service station",
  "me.qrTitle": "E-insurance code",
  "me.qrHint": "Show this code at the hospital: scanning it identifies you",
  "me.qrShow": "Show the e-insurance code",
  "me.quoteYear": "Policy year {year}",
  "plain.title": "How this bill is shared",
  "plain.total": "The bill comes to {amount}.",
  "plain.excluded": "{amount} of it is outside what the insurance pays for (drugs, tests and services outside the catalogue, and the parts the policy leaves to you): you pay it in full.",
  "plain.nothingExcluded": "All of the bill is within what the insurance pays for.",
  "plain.deductible": "The deductible, {amount}: the insurance pays only above it, so this part is yours.",
  "plain.share": "Within what is covered, your share at the policy's rates is {amount}.",
  "plain.aboveCap": "{amount} is above the funds' yearly limits, so the funds do not pay it.",
  "plain.funds": "Basic insurance, critical-illness insurance, assistance and the other funds pay {amount} in all.",
  "plain.youPay": "You pay {amount} in all.",
};
